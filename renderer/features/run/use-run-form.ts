import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ErrorShape } from '../../../app/contract/errors';
import { useEntityRows } from '../../lib/entity-store';
import { runSuggestions, useContainers } from '../../stores/containers';
import type { FieldErrors, RunForm } from './form';
import { formatPort, parsePort } from './parse';
import { validateForm, type Validation } from './validate';

/**
 * Form state shared by the Run dialog and the Edit tab: the values, inline validation against the
 * contract and the container list, which errors to show (a field's once it was edited, all of them
 * after a submit), and suggestions (local images, networks).
 */
export interface RunFormState {
  form: RunForm;
  patch(p: Partial<RunForm>): void;
  validation: Validation;
  shownErrors: FieldErrors;
  /** Show every error (after a submit attempt). */
  revealAll(): void;
  suggestions: { images: string[]; networks: string[] };
  suggestionsError: ErrorShape | null;
  reset(form: RunForm): void;
}

export function useRunForm(initial: () => RunForm, editingId?: string): RunFormState {
  const [form, setForm] = useState<RunForm>(initial);
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [all, setAll] = useState(false);
  const [suggestions, setSuggestions] = useState<{ images: string[]; networks: string[] }>({ images: [], networks: [] });
  const [suggestionsError, setSuggestionsError] = useState<ErrorShape | null>(null);
  const containers = useEntityRows(useContainers);

  useEffect(() => {
    // Opened from another page: the list is needed to check names and host ports.
    if (useContainers.getState().status === 'idle') void useContainers.getState().load();
    let live = true;
    void runSuggestions().then((s) => {
      if (!live) return;
      setSuggestions({ images: s.images, networks: s.networks });
      setSuggestionsError(s.error);
    });
    return () => {
      live = false;
    };
  }, []);

  const patch = useCallback((p: Partial<RunForm>) => {
    setForm((f) => ({ ...f, ...p }));
    setTouched((t) => new Set([...t, ...Object.keys(p)]));
  }, []);

  const validation = useMemo(() => validateForm(form, editingId === undefined ? { containers } : { containers, editingId }), [form, containers, editingId]);
  const shownErrors = useMemo(() => {
    if (all) return validation.errors;
    const out: FieldErrors = {};
    for (const [k, v] of Object.entries(validation.errors)) {
      if (touched.has(k.split('.')[0] ?? k)) out[k] = v;
    }
    return out;
  }, [validation.errors, touched, all]);

  return {
    form,
    patch,
    validation,
    shownErrors,
    revealAll: () => setAll(true),
    suggestions,
    suggestionsError,
    reset: (f) => {
      setForm(f);
      setTouched(new Set());
      setAll(false);
    },
  };
}

/** The free host port the engine offered with a PORT_ALLOCATED error, and the port it replaces. */
export function freePortFix(error: ErrorShape | null): { busy: number | null; free: number } | null {
  if (!error || error.code !== 'PORT_ALLOCATED') return null;
  const free = error.details?.freePort;
  const busy = error.details?.port;
  return typeof free === 'number' ? { busy: typeof busy === 'number' ? busy : null, free } : null;
}

/** The form with host port `busy` (or the first fixed host port) replaced by `free`. */
export function applyFreePort(form: RunForm, fix: { busy: number | null; free: number }): RunForm {
  let done = false;
  const ports = form.ports.map((r) => {
    if (done) return r;
    const p = parsePort(r.spec);
    if (!p.ok || p.value.hostPort === undefined || (fix.busy !== null && p.value.hostPort !== fix.busy)) return r;
    done = true;
    return { ...r, spec: formatPort({ ...p.value, hostPort: fix.free }) };
  });
  return { ...form, ports };
}
