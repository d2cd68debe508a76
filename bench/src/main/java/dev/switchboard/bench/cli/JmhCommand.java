package dev.switchboard.bench.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

@Command(
    name = "jmh",
    mixinStandardHelpOptions = true,
    description = {
      "JMH benchmarks of the hot code (frame codec, session lookup, push routing); arguments go",
      "to JMH, e.g. `jmh FrameCodec -f 1 -wi 3 -i 5` or `jmh -l` to list them."
    })
final class JmhCommand implements Callable<Integer> {
  @Parameters(arity = "0..*", description = "JMH arguments.")
  List<String> args = new ArrayList<>();

  @Unmatched List<String> unmatched = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    List<String> all = new ArrayList<>(args);
    all.addAll(unmatched);
    org.openjdk.jmh.Main.main(all.toArray(String[]::new));
    return 0;
  }
}
