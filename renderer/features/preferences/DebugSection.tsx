import { TextSettingSection } from './TextSettingSection';

/** The debug shell's toolbox image (issue 18): empty is Berth's own busybox, built locally; never pulled. */
export function DebugSection() {
  return (
    <TextSettingSection
      id="debug"
      title="Debug shell"
      applies="Applies to debug shells opened from now on."
      form="Debug shell settings"
      save="Save debug settings"
      label="Toolbox image"
      hint="An image on the engine with sh and the tools you want (it is never pulled for you); empty: a busybox Berth builds locally."
      placeholder="Berth's busybox"
      read={(s) => s.debug.image}
      patch={(image) => ({ debug: { image } })}
    />
  );
}
