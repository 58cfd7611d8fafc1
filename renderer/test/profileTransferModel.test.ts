import { describe, expect, it } from 'vitest';
import type { ImportProfilesRequest } from '../../common/src/dto/profiles.js';
import type { ExplorerApi } from '../../common/src/ipc/contract.js';
import {
  ProfileTransferModel,
  describeImport,
  describeProfilesProblem,
} from '../src/connections/profileTransferModel.js';

function api(): { api: ExplorerApi; imports: ImportProfilesRequest[]; exports: boolean[] } {
  const imports: ImportProfilesRequest[] = [];
  const exports: boolean[] = [];
  return {
    imports,
    exports,
    api: {
      importProfiles: (r: ImportProfilesRequest) => {
        imports.push(r);
        return Promise.resolve({
          added: 2,
          skipped: [{ index: 2, reason: 'servers: at least one server is needed' }],
        });
      },
      exportProfiles: ({ includePasswords }: { includePasswords: boolean }) => {
        exports.push(includePasswords);
        return Promise.resolve({
          fileName: 'amps-explorer-profiles.json',
          json: '{"version":3,"profiles":[]}',
        });
      },
    } as unknown as ExplorerApi,
  };
}

describe('ProfileTransferModel', () => {
  it('imports a picked file and says what was added and what was skipped, with why', async () => {
    const fake = api();
    const m = new ProfileTransferModel(fake.api);
    expect(await m.import({ fileName: 'team.json', size: 10, text: '{"profiles":[]}' })).toBe(true);
    expect(fake.imports).toEqual([{ fileName: 'team.json', json: '{"profiles":[]}' }]);
    const imported = m.state.imported;
    expect(imported && describeImport(imported)).toBe('2 profiles added from team.json; 1 skipped:');
    expect(imported?.skipped[0]?.reason).toMatch(/at least one server/);
  });

  it('refuses a file too large to read, or empty, without calling main', async () => {
    const fake = api();
    const m = new ProfileTransferModel(fake.api);
    expect(await m.import({ fileName: 'huge.json', size: 9 * 1024 * 1024 })).toBe(false);
    expect(m.state.error).toMatch(/huge.json is larger than 8 MiB/);
    expect(await m.import({ fileName: 'empty.json', size: 0, text: ' ' })).toBe(false);
    expect(m.state.error).toMatch(/empty.json is empty/);
    expect(fake.imports).toEqual([]);
  });

  it('exports without passwords unless ticked', async () => {
    const fake = api();
    const m = new ProfileTransferModel(fake.api);
    await m.export();
    m.setIncludePasswords(true);
    const file = await m.export();
    expect(fake.exports).toEqual([false, true]);
    expect(file?.fileName).toBe('amps-explorer-profiles.json');
    expect(m.state.exported).toBe('amps-explorer-profiles.json');
  });
});

describe('describeProfilesProblem', () => {
  it('says what was set aside, why and where it was kept', () => {
    expect(
      describeProfilesProblem({
        kind: 'rejected-entry',
        index: 1,
        name: 'Broken',
        message: 'servers: expected an array',
        backupFile: '/u/profiles.rejected.json',
      }),
    ).toBe(
      'Profile #2 "Broken" was set aside: servers: expected an array. It was kept as /u/profiles.rejected.json.',
    );
    expect(
      describeProfilesProblem({
        kind: 'corrupt',
        message: 'Unexpected token',
        backupFile: '/u/profiles.json.corrupt',
      }),
    ).toMatch(
      /could not be read and was set aside: Unexpected token\. It was kept as \/u\/profiles.json.corrupt\. Nothing was overwritten\./,
    );
  });
});
