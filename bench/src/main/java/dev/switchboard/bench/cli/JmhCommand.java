package dev.switchboard.bench.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

@Command(
    name = "jmh",
    description = {
      "JMH benchmarks of the hot code (frame codec, session lookup, push routing); arguments go",
      "to JMH, e.g. `jmh FrameCodec -f 1 -wi 3 -i 5`, `jmh -l` to list them, `jmh -h` for JMH's help."
    })
final class JmhCommand implements Callable<Integer> {
  /** Everything from the first argument on, in order (the command line stops at it). */
  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    org.openjdk.jmh.Main.main(args.toArray(String[]::new));
    return 0;
  }
}
