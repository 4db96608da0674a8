import type { RefObject } from 'react';
import { BuildArgs } from './BuildArgs';
import type { BuildCheck, BuildForm } from './build-form';
import { CheckboxField, Field } from '../../components';
import { ChoosePath } from '../host-paths/ChoosePath';
import { TargetStageField } from './TargetStageField';

const addLine = (text: string, line: string) => (text.split('\n').some((l) => l.trim() === line) ? text : `${text.trim() ? `${text.trimEnd()}\n` : ''}${line}`);

/** The inputs of the build dialog. Problems show once the user tried to build or typed in a field. */
export function BuildFields({
  form,
  set,
  check,
  show,
  dirRef,
}: {
  form: BuildForm;
  set(patch: Partial<BuildForm>): void;
  check: BuildCheck;
  show: boolean;
  dirRef: RefObject<HTMLInputElement | null>;
}) {
  const err = (k: keyof BuildCheck['errors'], typed: string) => ((show || typed.trim() !== '') && check.errors[k]) || null;
  return (
    <>
      <Field label="Folder" error={err('contextDir', form.contextDir)} hint="The build context: a folder on the machine running Berth's core. Files listed in its .dockerignore are left out.">
        {(p) => (
          <input
            {...p}
            ref={dirRef}
            className="input mono"
            value={form.contextDir}
            spellCheck={false}
            autoComplete="off"
            placeholder="/home/me/app"
            onChange={(e) => set({ contextDir: e.target.value })}
          />
        )}
      </Field>
      <ChoosePath purpose="build-context" value={form.contextDir} onChosen={(contextDir) => set({ contextDir })} />
      <div className="form-row">
        <Field label="Dockerfile" error={err('dockerfile', form.dockerfile)} hint="Relative to the folder.">
          {(p) => <input {...p} className="input mono" value={form.dockerfile} spellCheck={false} onChange={(e) => set({ dockerfile: e.target.value })} />}
        </Field>
        <TargetStageField contextDir={form.contextDir} dockerfile={form.dockerfile} value={form.target} error={err('target', form.target)} onChange={(target) => set({ target })} />
      </div>
      <Field label="Tags" optional error={err('tags', form.tags)} hint="Names for the new image, separated by spaces or commas, e.g. team/app:dev team/app:latest.">
        {(p) => (
          <input {...p} className="input mono" value={form.tags} spellCheck={false} autoComplete="off" placeholder="team/app:dev" onChange={(e) => set({ tags: e.target.value })} />
        )}
      </Field>
      <div className="form-row">
        <Field label="Platforms" optional error={err('platforms', form.platforms)} hint="BuildKit only: e.g. linux/amd64, linux/arm64. Another architecture needs emulation in the engine.">
          {(p) => <input {...p} className="input mono" value={form.platforms} spellCheck={false} placeholder="linux/arm64" onChange={(e) => set({ platforms: e.target.value })} />}
        </Field>
        <Field label="SSH forwarding" optional error={err('ssh', form.ssh)} hint="BuildKit only: default (the SSH agent of the machine running Berth) or id=/path/to/agent.sock, for RUN --mount=type=ssh.">
          {(p) => <input {...p} className="input mono" value={form.ssh} spellCheck={false} placeholder="default" onChange={(e) => set({ ssh: e.target.value })} />}
        </Field>
      </div>
      <div className="form-row">
        <Field label="Import cache from" optional error={err('cacheFrom', form.cacheFrom)} hint="BuildKit only, one a line: a folder (/path) or a registry reference (registry/app:cache).">
          {(p) => <textarea {...p} className="input mono" rows={2} value={form.cacheFrom} spellCheck={false} placeholder="/home/me/.cache/app-build" onChange={(e) => set({ cacheFrom: e.target.value })} />}
        </Field>
        <Field label="Export cache to" optional error={err('cacheTo', form.cacheTo)} hint="BuildKit only, one a line: a folder or a registry reference; every stage's steps are exported (mode=max).">
          {(p) => <textarea {...p} className="input mono" rows={2} value={form.cacheTo} spellCheck={false} placeholder="127.0.0.1:5000/app:cache" onChange={(e) => set({ cacheTo: e.target.value })} />}
        </Field>
      </div>
      {/* A local cache folder is written by the build: in the desktop app only a folder picked here is accepted. It is added to both lists. */}
      <ChoosePath
        purpose="build-cache"
        suggested="build-cache"
        note={false}
        value={form.cacheFrom || form.cacheTo || 'not prefilled'}
        onChosen={(dir) => set({ cacheFrom: addLine(form.cacheFrom, dir), cacheTo: addLine(form.cacheTo, dir) })}
      />
      <Field label="Secrets" optional error={err('secrets', form.secrets)} hint="BuildKit only, one a line: id=token,src=/path/to/file or id=token,env=VARIABLE. Used by RUN --mount=type=secret; never stored in the image, the log or Berth's settings.">
        {(p) => <textarea {...p} className="input mono" rows={2} value={form.secrets} spellCheck={false} placeholder="id=npmrc,src=/home/me/.npmrc" onChange={(e) => set({ secrets: e.target.value })} />}
      </Field>
      <BuildArgs rows={form.args} onChange={(args) => set({ args })} problems={show ? check.argProblems : new Map()} />
      <div className="form-row">
        <CheckboxField label="No cache" hint="Run every step again." checked={form.noCache} onChange={(noCache) => set({ noCache })} />
        <CheckboxField label="Pull base images" hint="Check the registry for newer FROM images." checked={form.pull} onChange={(pull) => set({ pull })} />
        <CheckboxField label="Push after build" hint={err('push', form.push ? 'x' : '') ?? 'Push the tags to their registry when the build succeeds.'} checked={form.push} onChange={(push) => set({ push })} />
      </div>
      <div className="form-row">
        <CheckboxField
          label="Reproducible"
          hint="BuildKit only: sets SOURCE_DATE_EPOCH and rewrites file and history timestamps to it, so the same source gives the same digest."
          checked={form.reproducible}
          onChange={(reproducible) => set({ reproducible })}
        />
        {form.reproducible && (
          <Field label="Timestamp (SOURCE_DATE_EPOCH)" error={err('sourceDateEpoch', form.sourceDateEpoch)} hint="Seconds since 1970: 0, or the last commit’s time (git log -1 --format=%ct).">
            {(p) => <input {...p} className="input mono" inputMode="numeric" value={form.sourceDateEpoch} spellCheck={false} onChange={(e) => set({ sourceDateEpoch: e.target.value })} />}
          </Field>
        )}
      </div>
    </>
  );
}
