import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalRepositorySource } from '../../../serving/src/repository/local-source';
import { latestVersions } from '../../../serving/src/repository/repository-layout';
import { FIXTURES } from './support/test-server';

const root = mkdtempSync(join(tmpdir(), 'serving-local-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('lists model files through symlinked files and folders and skips dangling links', async () => {
  mkdirSync(join(root, 'linked-file/1'), { recursive: true });
  symlinkSync(join(FIXTURES, 'scale-v1.onnx'), join(root, 'linked-file/1/model.onnx'));
  const target = mkdtempSync(join(tmpdir(), 'serving-local-target-'));
  mkdirSync(join(target, '7'));
  writeFileSync(join(target, '7', 'model.onnx'), 'bytes');
  symlinkSync(target, join(root, 'linked-dir'));
  mkdirSync(join(root, 'dangling/1'), { recursive: true });
  symlinkSync(join(root, 'nowhere.onnx'), join(root, 'dangling/1/model.onnx'));

  const source = new LocalRepositorySource(root);
  const latest = latestVersions(await source.listFiles());
  expect(latest.map((v) => `${v.model}/${v.version}`)).toEqual(['linked-dir/7', 'linked-file/1']);
  expect(Buffer.from(await source.readFile('linked-dir/7/model.onnx')).toString()).toBe('bytes');
  rmSync(target, { recursive: true, force: true });
});
