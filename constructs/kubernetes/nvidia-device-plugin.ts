import { DaemonSetV1 } from '@cdktf/provider-kubernetes/lib/daemon-set-v1';
import { Construct } from 'constructs';
import { ACCELERATOR_NODE_LABEL, GPU_TAINT, NVIDIA_ACCELERATOR } from './workload-names';

export interface NvidiaDevicePluginProps {
  /**
   * Device plugin image (https://github.com/NVIDIA/k8s-device-plugin); the EKS NVIDIA AMI ships the driver and the
   * container toolkit but not the plugin.
   * @default 'nvcr.io/nvidia/k8s-device-plugin:v0.17.1'
   */
  readonly image?: string;
}

/**
 * The NVIDIA device plugin DaemonSet: advertises `nvidia.com/gpu` on GPU nodes so pods can request GPUs. Runs only on
 * nodes labelled as NVIDIA accelerators and tolerates their GPU taint; it needs the host's device-plugin socket
 * directory but no privileges.
 */
export class NvidiaDevicePlugin extends Construct {
  readonly daemonSet: DaemonSetV1;

  constructor(scope: Construct, id: string, props: NvidiaDevicePluginProps = {}) {
    super(scope, id);
    const image = props.image ?? 'nvcr.io/nvidia/k8s-device-plugin:v0.17.1';
    const labels = { 'app.kubernetes.io/name': 'nvidia-device-plugin', 'app.kubernetes.io/part-of': 'mlops-blueprint' };
    this.daemonSet = new DaemonSetV1(this, 'DaemonSet', {
      metadata: { name: 'nvidia-device-plugin', namespace: 'kube-system', labels },
      spec: {
        selector: { matchLabels: labels },
        strategy: { type: 'RollingUpdate' },
        template: {
          metadata: { labels },
          spec: {
            priorityClassName: 'system-node-critical',
            automountServiceAccountToken: false,
            nodeSelector: { [ACCELERATOR_NODE_LABEL]: NVIDIA_ACCELERATOR },
            toleration: [{ key: GPU_TAINT.key, operator: 'Exists', effect: GPU_TAINT.effect }],
            container: [
              {
                name: 'nvidia-device-plugin',
                image,
                env: [{ name: 'FAIL_ON_INIT_ERROR', value: 'false' }],
                resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '100m', memory: '128Mi' } },
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
                volumeMount: [{ name: 'device-plugin', mountPath: '/var/lib/kubelet/device-plugins' }],
              },
            ],
            volume: [{ name: 'device-plugin', hostPath: { path: '/var/lib/kubelet/device-plugins', type: 'Directory' } }],
          },
        },
      },
    });
  }
}
