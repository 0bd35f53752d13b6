import { readFileSync } from 'node:fs';

/** The version of a dependency as installed for this package (aliases by their alias name). */
export function installedVersion(name: string): string {
  const file = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version.replace(
      /^v/,
      '',
    );
  } catch {
    return 'not installed';
  }
}

/** `name@version`, with an alias shown by its real name (`redlock4` -> `redlock@4.2.0`). */
export function packageLabel(name: string, realName = name): string {
  return `${realName}@${installedVersion(name)}`;
}
