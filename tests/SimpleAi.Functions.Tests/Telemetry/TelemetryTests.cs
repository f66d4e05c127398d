using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using SimpleAi.Webhooks.Telemetry;

namespace SimpleAi.Functions.Tests.Telemetry;

[Collection(AzuriteCollection.Name)]
public sealed class TelemetryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task OneTrace_FollowsACallFromTheRequestThroughEveryQueueHop()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(WebhookTelemetry.Name).AddInMemoryExporter(spans).Build();
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString).StartAsync();
        var callId = Guid.NewGuid().ToString("D");

        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, "evt_" + Guid.NewGuid().ToString("N")), "msg_1");
        await harness.RunUntilIdleAsync();
        tracing!.ForceFlush();

        var ofCall = spans.Where(s => Equals(s.GetTagItem("call_id"), callId)).ToList();
        Assert.Equal(
            ["webhook ingest", "route call.completed", "step a", "step b", "step c"],
            ofCall.OrderBy(s => s.StartTimeUtc).Select(s => s.DisplayName));
        var requestTrace = ActivityContext.Parse(HttpInvoker.TraceParent, null).TraceId;
        Assert.All(ofCall, span => Assert.Equal(requestTrace, span.TraceId));
        var stepA = ofCall.Single(s => s.DisplayName == "step a");
        Assert.Equal(ofCall.Single(s => s.DisplayName == "route call.completed").SpanId, stepA.ParentSpanId);
        Assert.Equal(harness.Effects.Invocations.First(i => i.CallId == callId).RunId, stepA.GetTagItem("run_id"));
    }

    [Fact]
    public async Task Metrics_CountEventsDuplicatesSignatureFailuresAndStepOutcomes()
    {
        var measured = new List<(string Instrument, double Value, string Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == WebhookTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString).StartAsync();
        var body = WorkflowHarness.CallCompleted(Guid.NewGuid().ToString("D"), "evt_" + Guid.NewGuid().ToString("N"));

        await harness.PostAsync(body, "msg_1");
        await harness.PostAsync(body, "msg_1");
        await HttpInvoker.InvokeAsync(
            harness.App.GetRequiredService<HttpFunctions>().WebhookIngest, "POST", new MemoryStream(body), body.Length, "application/json", []);
        await harness.RunUntilIdleAsync();

        lock (measured)
        {
            Assert.Contains(measured, m => m.Instrument == "simpleai.webhooks.events_received" && m.Tags.Contains("event_type=call.completed", StringComparison.Ordinal));
            Assert.Contains(measured, m => m.Instrument == "simpleai.webhooks.duplicate_deliveries");
            Assert.Contains(measured, m => m.Instrument == "simpleai.webhooks.signature_failures" && m.Tags.Contains("reason=MissingHeader", StringComparison.Ordinal));
            Assert.Contains(measured, m => m.Instrument == "simpleai.webhooks.step.duration" && m.Tags.Contains("step=c", StringComparison.Ordinal) && m.Tags.Contains("outcome=completed", StringComparison.Ordinal));
        }

        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var text = string.Join(',', tags.ToArray().Select(t => $"{t.Key}={t.Value}"));
            lock (measured)
            {
                measured.Add((instrument.Name, value, text));
            }
        }
    }
}
