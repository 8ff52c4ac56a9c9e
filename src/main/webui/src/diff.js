// A pending change's before/after as rows a person can read: one row per field (nested objects by
// dotted path), marked added, removed, changed or unchanged. Values stay data: the view renders
// them as text.

export function diffRows(before, after) {
  const old = flatten(before);
  const now = flatten(after);
  const fields = [...new Set([...old.keys(), ...now.keys()])];
  return fields.map((field) => {
    const inOld = old.has(field);
    const inNow = now.has(field);
    const oldText = inOld ? show(old.get(field)) : "";
    const nowText = inNow ? show(now.get(field)) : "";
    let kind = "unchanged";
    if (!inOld) {
      kind = "added";
    } else if (!inNow) {
      kind = "removed";
    } else if (oldText !== nowText) {
      kind = "changed";
    }
    return { field, before: oldText, after: nowText, kind };
  });
}

function flatten(value, prefix = "", into = new Map()) {
  if (value === null || value === undefined) {
    return into;
  }
  if (typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [key, inner] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (inner !== null && typeof inner === "object" && !Array.isArray(inner) && Object.keys(inner).length > 0) {
        flatten(inner, path, into);
      } else {
        into.set(path, inner);
      }
    }
    return into;
  }
  into.set(prefix || "(value)", value);
  return into;
}

function show(value) {
  if (typeof value === "string") {
    return value;
  }
  return JSON.stringify(value);
}
