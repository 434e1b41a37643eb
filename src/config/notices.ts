/**
 * Notices about the loaded configuration: not errors, but things a user would otherwise be surprised by. Today:
 * AWS_* credential variables a section ignores because the configuration chose its credentials. Notices name
 * variables and keys, never their values.
 */
import type { IgnoredVariables } from "./env.js";

export interface SectionNote {
  /** Dotted section name: "llm" or "llm.sso". */
  section: string;
  ignored: IgnoredVariables;
}

function reason({ because }: IgnoredVariables): string {
  if (because === "aws_role_name") return "aws_role_name is set, and a Bedrock API key cannot assume a role";
  return `credentials come from ${because} in the configuration, which AWS_* variables never override`;
}

/** One notice per distinct cause, naming every section it applies to. */
export function ignoredVariablesNotices(notes: readonly SectionNote[]): string[] {
  const grouped = new Map<string, { head: string; sections: string[] }>();
  for (const { section, ignored } of notes) {
    const { variables } = ignored;
    const verb = variables.length === 1 ? "is" : "are";
    const head = `environment variable${variables.length === 1 ? "" : "s"} ${variables.join(", ")} ${verb} ignored by`;
    const id = `${head}\u0000${reason(ignored)}`;
    const group = grouped.get(id) ?? { head, sections: [] };
    group.sections.push(`[${section}]`);
    grouped.set(id, group);
  }
  return [...grouped.entries()].map(
    ([id, { head, sections }]) => `${head} ${sections.join(", ")}: ${id.slice(id.indexOf("\u0000") + 1)}`,
  );
}
