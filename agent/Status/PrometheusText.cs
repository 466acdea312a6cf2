using System.Globalization;
using System.Text;

namespace SupplyChain.Agent.Status;

/// <summary>
/// <see cref="AgentStatus"/> in the Prometheus text exposition format 0.0.4 (prometheus.io/docs/instrumenting/exposition_formats):
/// <c># HELP</c> and <c># TYPE</c> per family, then <c>name{label="value"} number</c> lines. Written here rather than with
/// prometheus-net because every figure already exists at scrape time; a registry would only copy them into global state.
/// </summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Format(AgentStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var text = new StringBuilder();
        Family(text, "coldtrace_agent_healthy", "gauge", "1 when the host runs and the outbox answers (as /healthz 200).");
        Sample(text, "coldtrace_agent_healthy", status.Healthy ? 1 : 0);

        if (status.Outbox is { } outbox)
        {
            Family(text, "coldtrace_agent_outbox_backlog", "gauge", "Events waiting for the hub's ack, by kind (sensor counts signed and queued reports).");
            Sample(text, "coldtrace_agent_outbox_backlog", outbox.PendingCustody, ("kind", "custody"));
            Sample(text, "coldtrace_agent_outbox_backlog", outbox.SensorBacklog, ("kind", "sensor"));
            Family(text, "coldtrace_agent_outbox_oldest_unacked_age_seconds", "gauge", "Age of the oldest unacknowledged event; 0 when none waits.");
            Sample(text, "coldtrace_agent_outbox_oldest_unacked_age_seconds", outbox.OldestUnackedAge(status.Time)?.TotalSeconds ?? 0);
            Family(text, "coldtrace_agent_outbox_rejected_events", "gauge", "Events the hub rejected, kept in the outbox and never resent.");
            Sample(text, "coldtrace_agent_outbox_rejected_events", outbox.Rejected);
            Family(text, "coldtrace_agent_outbox_writable", "gauge", "0 while the outbox is closed after a write failure (disk full): scans go red, sensor reports become gaps.");
            Sample(text, "coldtrace_agent_outbox_writable", outbox.Unavailable is null ? 1 : 0);
            Family(text, "coldtrace_agent_outbox_sensor_gaps_total", "counter", "Sensor reports dropped by the sensor quota or not stored for lack of disk space.");
            Sample(text, "coldtrace_agent_outbox_sensor_gaps_total", outbox.Gaps);
            Family(text, "coldtrace_agent_outbox_next_seq", "gauge", "The seq the next event of this device gets.");
            Sample(text, "coldtrace_agent_outbox_next_seq", outbox.NextSeq);
            if (outbox.LastAckAt is { } lastAck)
            {
                Family(text, "coldtrace_agent_last_ack_timestamp_seconds", "gauge", "Unix time of the last ack from the hub.");
                Sample(text, "coldtrace_agent_last_ack_timestamp_seconds", lastAck.ToUnixTimeMilliseconds() / 1000.0);
            }
        }

        Family(text, "coldtrace_agent_delivery_enabled", "gauge", "1 when Delivery:Host is set.");
        Sample(text, "coldtrace_agent_delivery_enabled", status.DeliveryEnabled ? 1 : 0);
        if (status.Delivery is { } delivery)
        {
            Family(text, "coldtrace_agent_delivery_connected", "gauge", "1 while connected to the broker.");
            Sample(text, "coldtrace_agent_delivery_connected", delivery.Connected ? 1 : 0);
            Family(text, "coldtrace_agent_delivery_connect_attempts", "gauge", "Failed connection attempts since the last successful connect.");
            Sample(text, "coldtrace_agent_delivery_connect_attempts", delivery.ConnectAttempts);
            Family(text, "coldtrace_agent_delivery_acked_total", "counter", "Events the hub acknowledged since the agent started.");
            Sample(text, "coldtrace_agent_delivery_acked_total", delivery.AckedThisRun);
            Family(text, "coldtrace_agent_delivery_rejected_total", "counter", "Events the hub rejected since the agent started.");
            Sample(text, "coldtrace_agent_delivery_rejected_total", delivery.RejectedThisRun);
            Family(text, "coldtrace_agent_delivery_drains_total", "counter", "Paced drains of a backlog after an outage since the agent started.");
            Sample(text, "coldtrace_agent_delivery_drains_total", delivery.DrainsThisRun);
            Family(text, "coldtrace_agent_delivery_resent_total", "counter", "Events published again since the agent started (answer overdue, the hub asked, or the connection dropped).");
            Sample(text, "coldtrace_agent_delivery_resent_total", delivery.ResentThisRun);
        }

        Family(text, "coldtrace_agent_clock_synced", "gauge", "1 when the wall clock is synchronised (ct:clockSynced of new events).");
        Sample(text, "coldtrace_agent_clock_synced", status.ClockSynced ? 1 : 0);

        if (status.SensorFaults is { } faults)
        {
            Family(text, "coldtrace_agent_sensor_faults_total", "counter", "Failed sensor reads since the agent started, by sensor and reason.");
            foreach (var fault in faults)
            {
                Sample(text, "coldtrace_agent_sensor_faults_total", fault.Count, ("sensor", fault.Sensor), ("reason", fault.Reason));
            }
        }

        if (status.Recalls is { } recalls)
        {
            Family(text, "coldtrace_agent_recall_check_enabled", "gauge", "1 when Delivery:HubKey is set and recall lists are verified.");
            Sample(text, "coldtrace_agent_recall_check_enabled", recalls.Enabled ? 1 : 0);
            Family(text, "coldtrace_agent_recall_list_version", "gauge", "Version of the recall list in force (PROTOCOL.md 5.6); -1 before the first.");
            Sample(text, "coldtrace_agent_recall_list_version", recalls.Version ?? -1);
            Family(text, "coldtrace_agent_recall_list_packs", "gauge", "Recalled packs on the list in force.");
            Sample(text, "coldtrace_agent_recall_list_packs", recalls.Packs);
            Family(text, "coldtrace_agent_recall_lists_refused_total", "counter", "Recall-list messages refused (signature, site, form) since start.");
            Sample(text, "coldtrace_agent_recall_lists_refused_total", recalls.Refused);
            Family(text, "coldtrace_agent_recall_lists_older_total", "counter", "Verified recall lists ignored as older than the list in force since start.");
            Sample(text, "coldtrace_agent_recall_lists_older_total", recalls.Older);
        }

        return text.ToString();
    }

    private static void Family(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, double value, params (string Name, string Value)[] labels)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                text.Append(i == 0 ? string.Empty : ",").Append(labels[i].Name).Append("=\"").Append(Escape(labels[i].Value)).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }

    // Label values escape backslash, double quote and line feed (exposition format 0.0.4).
    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
