package dev.switchboard.bench.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one scenario run tells: what was asked (config), against what (target), on what
 * (machine), and the figures in the order they are printed. Written as JSON by {@link
 * ReportWriter}; the figure names are the JSON keys.
 */
public final class Report {
  private final String scenario;
  private final Instant startedAt;
  private final Map<String, Object> config = new LinkedHashMap<>();
  private final Map<String, Object> target = new LinkedHashMap<>();
  private final Map<String, Object> figures = new LinkedHashMap<>();
  private final Map<String, String> units = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private final List<Report> parts = new ArrayList<>();
  private Map<String, Object> machine = Map.of();

  public Report(String scenario, Instant startedAt) {
    this.scenario = scenario;
    this.startedAt = startedAt;
  }

  public Report config(String name, Object value) {
    config.put(name, value);
    return this;
  }

  public Report target(Map<String, Object> description) {
    target.putAll(description);
    return this;
  }

  public Report machine(Map<String, Object> description) {
    this.machine = Map.copyOf(description);
    return this;
  }

  /** A figure with its unit, e.g. {@code figure("delivered_per_s", 4210.5, "msg/s")}. */
  public Report figure(String name, Object value, String unit) {
    figures.put(name, value);
    if (unit != null) {
      units.put(name, unit);
    }
    return this;
  }

  public Report figure(String name, Object value) {
    return figure(name, value, null);
  }

  public Report latency(String name, LatencySummary summary) {
    return figure(name, summary, "ms");
  }

  /** Something a reader must know to read the figures right (e.g. what could not be measured). */
  public Report note(String note) {
    notes.add(note);
    return this;
  }

  /** A run made in the same invocation that this one is compared with (the baseline). */
  public Report part(Report other) {
    parts.add(other);
    return this;
  }

  public String scenario() {
    return scenario;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Map<String, Object> config() {
    return config;
  }

  public Map<String, Object> target() {
    return target;
  }

  public Map<String, Object> machine() {
    return machine;
  }

  public Map<String, Object> figures() {
    return figures;
  }

  public Map<String, String> units() {
    return units;
  }

  public List<String> notes() {
    return notes;
  }

  public List<Report> parts() {
    return parts;
  }

  public Object figureValue(String name) {
    return figures.get(name);
  }
}
