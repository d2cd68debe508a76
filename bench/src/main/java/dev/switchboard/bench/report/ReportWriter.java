package dev.switchboard.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a {@link Report} as one JSON document (parts, i.e. the baseline, nested under "parts").
 */
public final class ReportWriter {
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public void write(Report report, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    json.writeValue(file.toFile(), toJson(report));
  }

  public ObjectNode toJson(Report report) {
    ObjectNode root = json.createObjectNode();
    root.put("scenario", report.scenario());
    root.put("started_at", report.startedAt().toString());
    root.set("config", json.valueToTree(report.config()));
    root.set("target", json.valueToTree(report.target()));
    root.set("machine", json.valueToTree(report.machine()));
    root.set("figures", json.valueToTree(report.figures()));
    root.set("units", json.valueToTree(report.units()));
    root.set("notes", json.valueToTree(report.notes()));
    ArrayNode parts = root.putArray("parts");
    for (Report part : report.parts()) {
      parts.add(toJson(part));
    }
    return root;
  }
}
