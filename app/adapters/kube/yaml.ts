import { yaml } from '../lazy-modules';
import { withoutManagedFields } from '../../core/pods-yaml.js';

/** An object as YAML for the detail pane: managedFields stripped, long strings never folded. */
export function objectYaml(obj: { metadata?: object }): string {
  return yaml().stringify(withoutManagedFields(obj), { lineWidth: 0 });
}
