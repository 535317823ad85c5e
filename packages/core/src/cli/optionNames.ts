/**
 * How a library message names one of its options: `cropShift`, in backticks, the option's own key. A
 * library has no command line, so its messages speak of options; each command shows its flags instead
 * (`withFlags`), so that `pnpm train` says `--crop-shift` where the API says `cropShift`.
 */
export function optionName(name: string): string {
  return `\`${name}\``;
}

/**
 * `text` with every option a library message names (`optionName`) shown as the command's flag:
 * `flags[name]` where a flag is spelt otherwise, else `--` and the name in kebab case (`cropShift` ->
 * `--crop-shift`; a dotted path counts by its last part: `sampling.crop` -> `--crop`).
 */
export function withFlags(text: string, flags: Readonly<Record<string, string>> = {}): string {
  return text.replace(/`([a-zA-Z][a-zA-Z0-9.]*)`/g, (_, name: string) => {
    const key = name.slice(name.lastIndexOf('.') + 1);
    return flags[name] ?? flags[key] ?? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  });
}
