// The page's one way of showing a time: relative for today ("just now", "5 min ago", "in 3 h"), the
// date beyond today ("3 Dec", "3 Dec 2025"), and the full local time on hover (the title).

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** {text, full} for an ISO-8601 time, as seen at `now`. */
export function describeTime(iso, now = new Date()) {
  const time = new Date(iso);
  const full = time.toLocaleString([], { dateStyle: "full", timeStyle: "long" });
  if (!sameDay(time, now)) {
    const date = time.toLocaleDateString([], {
      day: "numeric",
      month: "short",
      year: time.getFullYear() === now.getFullYear() ? undefined : "numeric",
    });
    return { text: date, full };
  }
  const ahead = time.getTime() - now.getTime();
  const distance = Math.abs(ahead);
  if (distance < MINUTE) {
    return { text: "just now", full };
  }
  const amount = distance < HOUR ? `${Math.floor(distance / MINUTE)} min` : `${Math.floor(distance / HOUR)} h`;
  return { text: ahead > 0 ? `in ${amount}` : `${amount} ago`, full };
}

function sameDay(a, b) {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}
