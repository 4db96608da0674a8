export { VmPage, VM_STATE_LABELS } from './VmPage';
export { VmSettingsForm } from './VmSettingsForm';
export { IconVm } from '../../components/Icons';
