import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import GetAppIcon from '@material-ui/icons/GetApp';
import type { AccessListFormat } from '@aic/plugin-model-marketplace-common';
import { modelMarketplaceApiRef } from '../../api';

const TYPES: Record<AccessListFormat, string> = {
  csv: 'text/csv',
  json: 'application/json',
};

/** Hands a text to the browser as a file download. */
function download(text: string, type: string, fileName: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/**
 * Export buttons for approvers: every request for the model (pending,
 * approved, rejected, revoked, ...) with the answers to its questions, as
 * CSV or JSON.
 */
export const AccessListExportButtons = (props: {
  modelRef: string;
  fileName: string;
}) => {
  const api = useApi(modelMarketplaceApiRef);
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState<AccessListFormat>();

  const exportAs = async (format: AccessListFormat) => {
    setBusy(format);
    try {
      const text = await api.exportAccessList(props.modelRef, format);
      download(text, TYPES[format], `${props.fileName}-access-list.${format}`);
    } catch (e) {
      alertApi.post({
        message: `Could not export the access list: ${(e as Error).message}`,
        severity: 'error',
      });
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div style={{ display: 'flex', gap: 8, padding: '8px 8px 0 0' }}>
      {(['csv', 'json'] as const).map(format => (
        <Button
          key={format}
          size="small"
          variant="outlined"
          startIcon={<GetAppIcon />}
          disabled={busy !== undefined}
          onClick={() => exportAs(format)}
          aria-label={`Export the access list as ${format.toUpperCase()}`}
        >
          {format.toUpperCase()}
        </Button>
      ))}
    </div>
  );
};
