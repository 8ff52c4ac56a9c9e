package io.switchboard.bench;

import io.vertx.core.json.JsonObject;

/** The human-readable table of one run's JSON report. */
final class Report {
    private Report() {
    }

    static String table(JsonObject report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%n%-44s %-62s %s%n", "scenario (replicas: " + report.getInteger("replicas") + ")", "result", "CPU % of a core: service / driver / others"));
        for (Object o : report.getJsonArray("results")) {
            JsonObject r = (JsonObject) o;
            String name = r.getString("scenario");
            if (r.containsKey("error")) {
                out.append(String.format("%-44s FAILED: %s%n", name, r.getString("error")));
                continue;
            }
            switch (name) {
                case "push" -> {
                    JsonObject p = r.getJsonObject("request_to_push");
                    out.append(row(String.format("push %d agents @ %d/s, %d s", r.getInteger("agents"), r.getInteger("rate_per_s"), r.getInteger("seconds")),
                            String.format("req→push p50 %s p99 %s ms; approve p50 %s; 503 %d, lost %d of %d",
                                    p.getValue("p50_ms"), p.getValue("p99_ms"), r.getJsonObject("approve_round_trip").getValue("p50_ms"),
                                    r.getInteger("refused_503"), r.getInteger("lost_pushes"), r.getInteger("accepted")),
                            r.getJsonObject("cpu")));
                    JsonObject s = r.getJsonObject("setup");
                    out.append(row("  setup: agents connected + subscribed",
                            s.getLong("agents_connected_and_subscribed_per_s") + "/s (changes created " + s.getLong("changes_created_per_s") + "/s)",
                            s.getJsonObject("cpu_while_connecting")));
                }
                case "connect" -> {
                    out.append(row(String.format("connect %d idle agents", r.getInteger("connections")),
                            String.format("%d/s, %s KiB each (RSS %d → %d KiB)", r.getLong("connects_per_s"), r.getValue("kib_per_connection"),
                                    r.getJsonObject("rss_kib").getLong("before"), r.getJsonObject("rss_kib").getLong("connected")),
                            r.getJsonObject("cpu_while_connecting")));
                    out.append(row(String.format("  holding %d s", r.getInteger("hold_seconds")),
                            r.getLong("open_after_hold") + " still open", r.getJsonObject("cpu_holding")));
                }
                case "fanout" -> {
                    out.append(row(String.format("fanout %d members, %d senders", r.getInteger("members"), r.getInteger("senders")),
                            "best " + r.getValue("best_deliveries_per_s") + " deliveries/s (joined " + r.getLong("joined_per_s") + "/s)", null));
                    for (Object so : r.getJsonArray("steps")) {
                        JsonObject s = (JsonObject) so;
                        JsonObject l = s.getJsonObject("latency");
                        out.append(row(String.format("  %d msg/s (%d deliveries/s)", s.getInteger("messages_per_s"), s.getLong("deliveries_per_s")),
                                String.format("p50 %s p99 %s ms, delivered %d of %d%s", l.getValue("p50_ms"), l.getValue("p99_ms"),
                                        s.getLong("delivered"), s.getLong("deliveries_expected"), s.getBoolean("held") ? "" : "  NOT HELD"),
                                s.getJsonObject("cpu")));
                    }
                }
                case "ack" -> {
                    JsonObject l = r.getJsonObject("round_trip");
                    out.append(row("SendMessage ack, " + r.getInteger("messages") + " sequential",
                            String.format("p50 %s p90 %s p99 %s max %s ms", l.getValue("p50_ms"), l.getValue("p90_ms"), l.getValue("p99_ms"), l.getValue("max_ms")),
                            r.getJsonObject("cpu")));
                }
                case "mcp" -> {
                    JsonObject l = r.getJsonObject("approve_response_to_result");
                    out.append(row(String.format("mcp %d waiting calls @ %d approvals/s", r.getInteger("agents"), r.getInteger("rate_per_s")),
                            String.format("approved→result p50 %s p99 %s ms; per wait %s KiB RSS, %s KiB live heap; lost %d, errors %d; 503 then retried %s",
                                    l.getValue("p50_ms"), l.getValue("p99_ms"), r.getValue("kib_per_waiting_call"),
                                    r.getValue("live_heap_kib_per_waiting_call"),
                                    r.getInteger("lost_pushes"), r.getInteger("errors"),
                                    r.getValue("tool_calls_answered_503_then_retried")),
                            r.getJsonObject("cpu")));
                }
                default -> out.append(r.encode()).append('\n');
            }
        }
        out.append("backplane: ").append(report.getJsonObject("backplane").encode()).append('\n');
        return out.toString();
    }

    private static String row(String name, String result, JsonObject cpu) {
        String cpuText = cpu == null ? "" : cpu.getLong("service_cpu_pct") + " / " + cpu.getLong("driver_cpu_pct") + " / " + cpu.getLong("others_cpu_pct");
        return String.format("%-44s %-62s %s%n", name, result, cpuText);
    }
}
