import { SandboxFault } from './types';

/**
 * Hands out injected faults to the requests they match, `count` times each.
 * The sandbox answers with them; the real control plane's fault proxy
 * (`@aic/kubernetes-testenv`) uses the same rules in front of kube-apiserver.
 *
 * @public
 */
export class FaultInjector {
  private readonly faults: SandboxFault[] = [];

  add(fault: SandboxFault) {
    if (fault.count > 0) this.faults.push({ ...fault });
  }

  /** The fault this request gets, if any; uses one of its count. */
  take(method: string, path: string): SandboxFault | undefined {
    const index = this.faults.findIndex(
      f =>
        (!f.match?.method ||
          f.match.method.toUpperCase() === method.toUpperCase()) &&
        (!f.match?.pathIncludes || path.includes(f.match.pathIncludes)),
    );
    if (index < 0) return undefined;
    const fault = this.faults[index];
    fault.count -= 1;
    if (fault.count <= 0) this.faults.splice(index, 1);
    return fault;
  }
}
