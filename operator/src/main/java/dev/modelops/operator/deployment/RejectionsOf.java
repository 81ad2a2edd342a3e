package dev.modelops.operator.deployment;

import java.util.List;

import dev.modelops.api.version.ModelVersion;
import dev.modelops.api.version.Rejection;

/** Pure: what a version's status says about its rejections by one deployment. */
final class RejectionsOf {

    private RejectionsOf() {
    }

    static boolean rejectedBy(ModelVersion version, String deployment) {
        return !of(version, deployment).isEmpty();
    }

    static String lastMessage(ModelVersion version, String deployment) {
        List<Rejection> mine = of(version, deployment);
        if (mine.isEmpty()) {
            return "";
        }
        Rejection last = mine.get(mine.size() - 1);
        return last.getReason() + " at " + last.getTime() + (last.getMessage() == null
                ? ""
                : ": " + last
                        .getMessage());
    }

    static List<Rejection> of(ModelVersion version, String deployment) {
        if (version.getStatus() == null || version.getStatus().getRejections() == null) {
            return List.of();
        }
        return version.getStatus().getRejections().stream().filter(r -> deployment.equals(r.getDeployment()))
                .toList();
    }
}
