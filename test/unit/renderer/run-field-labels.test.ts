import { describe, expect, it } from 'vitest';
import { fieldDomId, fieldLabel } from '../../../renderer/features/run/field-labels';

describe('the Run dialog names each field in its summary of problems', () => {
  it('uses the labels the form shows, rows numbered from 1', () => {
    expect(fieldLabel('image')).toBe('Image');
    expect(fieldLabel('memory')).toBe('Memory');
    expect(fieldLabel('ports.0')).toBe('Port 1');
    expect(fieldLabel('mounts.2.target')).toBe('Mount 3 target');
    expect(fieldLabel('env.1.name')).toBe('Variable 2 name');
    expect(fieldLabel('labels.0.name')).toBe('Label 1 key');
    expect(fieldLabel('ports')).toBe('Ports');
    expect(fieldLabel('somethingNew')).toBe('somethingNew');
  });

  it('finds the input by the same id rule as the fields', () => {
    expect(fieldDomId('runr1', 'mounts.2.target')).toBe('runr1-mounts-2-target');
  });
});
