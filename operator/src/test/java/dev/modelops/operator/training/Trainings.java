package dev.modelops.operator.training;

import java.util.Map;

import dev.modelops.api.training.ModelTraining;
import dev.modelops.api.training.ModelTrainingSpec;
import dev.modelops.api.training.TrainerSpec;
import dev.modelops.api.training.TrainingOutput;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** ModelTraining objects for tests. */
public final class Trainings {

    private Trainings() {
    }

    public static ModelTraining training(String name, String model) {
        TrainerSpec trainer = new TrainerSpec();
        trainer.setImage("ghcr.io/modelops-dev/iris-trainer:0.1.0");
        TrainingOutput output = new TrainingOutput();
        output.setUri("pvc://models/" + model);
        ModelTrainingSpec spec = new ModelTrainingSpec();
        spec.setModel(model);
        spec.setTrainer(trainer);
        spec.setOutput(output);
        spec.setHyperparameters(Map.of("epochs", "300"));
        ModelTraining training = new ModelTraining();
        training.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default")
                .withUid("uid-" + name).withGeneration(1L).build());
        training.setSpec(spec);
        return training;
    }
}
