import { TextSettingSection } from './TextSettingSection';

/** Which kubeconfig the Pods page reads (issue 17). Kubernetes in the VM itself is set on the VM page. */
export function KubernetesSection() {
  return (
    <TextSettingSection
      id="kubernetes"
      title="Kubernetes"
      applies="Applies at once: the Pods page switches to the new file."
      form="Kubernetes settings"
      save="Save Kubernetes settings"
      label="Kubeconfig for the Pods page"
      hint="Empty: the VM’s cluster when Kubernetes is on in the VM settings, else KUBECONFIG’s first file, else ~/.kube/config."
      placeholder="Automatic"
      read={(s) => s.kube.kubeconfig}
      patch={(kubeconfig) => ({ kube: { kubeconfig } })}
      saved="Saved. The Pods page now reads this file."
    />
  );
}
