namespace SimpleAi.Webhooks.Workflow;

/// <summary>What a step message does, decided from the run alone (see <see cref="StepDecision.Decide"/>).</summary>
public enum StepAction
{
    /// <summary>The message can never be used: to the poison queue with its reason, no retry.</summary>
    Poison,

    /// <summary>A duplicate: dropped without effect.</summary>
    Drop,

    /// <summary>The step is done: only re-send its next step, whose send a crash may have lost.</summary>
    Redrive,

    /// <summary>Claim the step and run its side effect.</summary>
    Run,
}
