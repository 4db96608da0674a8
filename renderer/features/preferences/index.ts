export { PreferencesPage } from './PreferencesPage';
export { IconPreferences } from './icon';
export { bindDensity } from './density';
