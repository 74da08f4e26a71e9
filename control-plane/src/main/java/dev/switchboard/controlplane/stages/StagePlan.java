package dev.switchboard.controlplane.stages;

import java.util.List;
import java.util.Optional;

/**
 * The canary plan (docs/rollout.md): canary (hand-picked tenants on the allow list, 0%) → 10% → 25% → 50%
 * → 100%. The stage a flag is in follows from its percentage, so it can never disagree with it.
 */
public record StagePlan(List<Stage> stages) {

    public record Stage(String name, int percentage) {
    }

    public static final StagePlan DEFAULT = new StagePlan(List.of(
            new Stage("canary", 0),
            new Stage("early-adopters", 10),
            new Stage("expansion", 25),
            new Stage("majority", 50),
            new Stage("complete", 100)));

    public StagePlan {
        stages = List.copyOf(stages);
    }

    /** The last stage whose percentage the flag has reached. */
    public Stage current(int percentage) {
        Stage current = stages.get(0);
        for (Stage stage : stages) {
            if (stage.percentage() <= percentage) {
                current = stage;
            }
        }
        return current;
    }

    /** The first stage above the flag's percentage, if any. */
    public Optional<Stage> next(int percentage) {
        return stages.stream().filter(s -> s.percentage() > percentage).findFirst();
    }
}
