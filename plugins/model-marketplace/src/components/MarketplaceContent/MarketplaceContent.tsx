import { Suspense, lazy } from 'react';
import {
  Route,
  Routes,
  useLocation,
  useNavigate,
  useResolvedPath,
  useSearchParams,
} from 'react-router-dom';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { makeStyles } from '@material-ui/core/styles';
import { Progress } from '@backstage/core-components';
import { ModelBrowser } from '../ModelBrowser';

// Browse is the first thing a visitor sees; the other tabs load their code
// when opened, so that it does not delay the first model card.
const CompareView = lazy(() =>
  import('../CompareView').then(m => ({ default: m.CompareView })),
);
const BenchmarkView = lazy(() =>
  import('../BenchmarkView').then(m => ({ default: m.BenchmarkView })),
);
const RequestsView = lazy(() =>
  import('../RequestsView').then(m => ({ default: m.RequestsView })),
);

const useStyles = makeStyles(theme => ({
  tabs: {
    marginBottom: theme.spacing(3),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
}));

const TABS = [
  { path: '', label: 'Browse' },
  { path: 'compare', label: 'Compare' },
  { path: 'benchmarks', label: 'Benchmarks' },
  { path: 'requests', label: 'My requests' },
  { path: 'approvals', label: 'Approvals' },
];

/**
 * The marketplace without a page header: the tabs Browse, Compare,
 * Benchmarks, My requests and Approvals, routed below wherever the page is mounted.
 */
export const MarketplaceContent = () => {
  const classes = useStyles();
  const base = useResolvedPath('.').pathname.replace(/\/$/, '');
  const location = useLocation();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const rest = location.pathname.slice(base.length).replace(/^\/|\/$/g, '');
  const current = TABS.find(tab => tab.path === rest.split('/')[0]) ?? TABS[0];

  return (
    <>
      <Tabs
        className={classes.tabs}
        value={current.path}
        indicatorColor="primary"
        textColor="primary"
        onChange={(_e, path: string) => {
          // Carry the models ticked on Browse over to Compare.
          const selected = searchParams.getAll('select');
          const suffix =
            path === 'compare' && selected.length
              ? `?${selected
                  .map(ref => `models=${encodeURIComponent(ref)}`)
                  .join('&')}`
              : '';
          navigate(path ? `${base}/${path}${suffix}` : base);
        }}
        aria-label="Marketplace views"
      >
        {TABS.map(tab => (
          <Tab key={tab.path} value={tab.path} label={tab.label} />
        ))}
      </Tabs>
      <Suspense fallback={<Progress />}>
        <Routes>
          <Route path="/" element={<ModelBrowser />} />
          <Route path="compare" element={<CompareView />} />
          <Route path="benchmarks" element={<BenchmarkView />} />
          <Route
            path="requests"
            element={<RequestsView viewAs="requester" />}
          />
          <Route
            path="approvals"
            element={<RequestsView viewAs="approver" />}
          />
        </Routes>
      </Suspense>
    </>
  );
};
