import { useState } from 'react';
import { Button, CheckboxField } from '../../components';
import { useApp } from '../../stores/app';
import { useEngineHas } from '../../stores/engines';
import { findPage } from '../../app/routes';
import { Section } from './Section';
import { useSave, useSettings } from './use-settings';
import { notificationPermissionNote } from './notify-permission';
import { askNotificationPermission } from '../notifications/alerts';

export function BehaviourSection() {
  const s = useSettings();
  const mode = useApp((st) => st.info?.mode);
  const { save, error } = useSave();
  const healthEvents = useEngineHas('healthEvents');
  const [permission, setPermission] = useState<string>(() => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission));
  if (!s) return null;
  const desktop = mode === 'electron';
  const muted = s.behaviour.mutedContainers;
  return (
    <Section id="behaviour" title="Behaviour" applies="Applies at once.">
      <CheckboxField
        label="Open Berth when I log in"
        checked={s.behaviour.startAtLogin}
        disabled={!desktop}
        onChange={(v) => void save({ behaviour: { startAtLogin: v } })}
        hint={desktop ? 'Berth starts in the background with your session.' : 'Only the desktop app can start at login; this is Berth in a browser.'}
      />
      {findPage('vm') && (
        <CheckboxField
          label="Stop the VM when I quit Berth"
          checked={s.behaviour.quitStopsVm}
          // A choice made here is the answer: quitting no longer asks.
          onChange={(v) => void save({ vm: { quitAsked: true }, behaviour: { quitStopsVm: v } })}
          hint={s.vm.quitAsked ? 'Otherwise the VM and its containers keep running after Berth quits.' : 'Until you choose here, Berth asks when you quit while the VM runs.'}
        />
      )}
      <CheckboxField
        label="Notify me when a container fails"
        checked={s.behaviour.notifications}
        onChange={(v) => {
          // The browser asks once, and only from a click.
          if (v && !desktop) void askNotificationPermission().then(setPermission);
          void save({ behaviour: { notifications: v } });
        }}
        hint={
          <>
            A desktop notification when a container exits with an error or turns unhealthy; clicking it opens the logs. To silence one container, use “Stop notifying about
            …” in the command palette.{' '}
            {!healthEvents && 'The active engine (containerd) reports no health changes, so only exits with an error notify. '}
            {notificationPermissionNote(desktop)}
          </>
        }
      />
      {!desktop && s.behaviour.notifications && typeof Notification !== 'undefined' && permission === 'default' && (
        <div>
          <Button size="sm" onClick={() => void askNotificationPermission().then(setPermission)}>
            Allow desktop notifications
          </Button>
        </div>
      )}
      {muted.length > 0 && (
        <div className="prefs-muted">
          <p className="prefs-legend">Containers that never notify</p>
          <ul>
            {muted.map((name) => (
              <li key={name}>
                <span className="mono">{name}</span>{' '}
                <button type="button" className="link-button" onClick={() => void save({ behaviour: { mutedContainers: muted.filter((m) => m !== name) } })}>
                  Notify again
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          Not saved: {error}
        </p>
      )}
    </Section>
  );
}
