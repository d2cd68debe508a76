package dev.switchboard.client.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandParserTest {

  @Test
  void atUsernameText_isASend_withTheRestOfTheLineAsText() {
    assertThat(CommandParser.parse("@bob hello there  world"))
        .isEqualTo(new Command.Send("bob", "hello there  world"));
  }

  @Test
  void send_toleratesSurroundingWhitespaceAndTabs() {
    assertThat(CommandParser.parse("  @bob\t hi  ")).isEqualTo(new Command.Send("bob", "hi"));
  }

  @Test
  void send_keepsUnicodeText() {
    assertThat(CommandParser.parse("@bob_1.x-y ça va ✓"))
        .isEqualTo(new Command.Send("bob_1.x-y", "ça va ✓"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"@bob", "@bob   ", "@bob\t"})
  void sendWithoutText_isInvalidWithAHint(String line) {
    assertThat(CommandParser.parse(line))
        .isEqualTo(new Command.Invalid("nothing to send to bob: type @bob text"));
  }

  @Test
  void atWithoutUsername_isInvalid() {
    assertThat(CommandParser.parse("@ hello"))
        .isEqualTo(new Command.Invalid("missing user name: type @username text"));
    assertThat(CommandParser.parse("@")).isInstanceOf(Command.Invalid.class);
  }

  @Test
  void badUsername_isInvalid() {
    assertThat(CommandParser.parse("@b!ob hi")).isInstanceOf(Command.Invalid.class);
    assertThat(((Command.Invalid) CommandParser.parse("@b!ob hi")).message())
        .contains("not a valid user name");
  }

  @Test
  void colonCommands_areRecognizedCaseInsensitively() {
    assertThat(CommandParser.parse(":olu")).isEqualTo(new Command.ListOnline());
    assertThat(CommandParser.parse(":read")).isEqualTo(new Command.ToggleAutoRead());
    assertThat(CommandParser.parse(":whoami")).isEqualTo(new Command.WhoAmI());
    assertThat(CommandParser.parse(":help")).isEqualTo(new Command.Help());
    assertThat(CommandParser.parse(":q")).isEqualTo(new Command.Quit());
    assertThat(CommandParser.parse(":Q")).isEqualTo(new Command.Quit());
    assertThat(CommandParser.parse(" :quit ")).isEqualTo(new Command.Quit());
  }

  @Test
  void unknownCommand_isInvalidAndNamesIt() {
    assertThat(CommandParser.parse(":foo"))
        .isEqualTo(new Command.Invalid("unknown command :foo (type :help)"));
    assertThat(CommandParser.parse(":")).isInstanceOf(Command.Invalid.class);
  }

  @Test
  void plainText_isInvalidWithAHintHowToSend() {
    assertThat(((Command.Invalid) CommandParser.parse("hello")).message()).contains("@username");
  }

  @Test
  void blankLine_isEmpty_andEndOfInputIsQuit() {
    assertThat(CommandParser.parse("   ")).isEqualTo(new Command.Empty());
    assertThat(CommandParser.parse(null)).isEqualTo(new Command.Quit());
  }

  @Test
  void socialCommands_withoutArguments() {
    assertThat(CommandParser.parse(":friends")).isEqualTo(new Command.ListFriends());
    assertThat(CommandParser.parse(":requests")).isEqualTo(new Command.ListRequests());
  }

  @Test
  void add_takesAUsernameAndAnOptionalMessage() {
    assertThat(CommandParser.parse(":add bob")).isEqualTo(new Command.AddFriend("bob", null));
    assertThat(CommandParser.parse(":ADD  bob   hi there "))
        .isEqualTo(new Command.AddFriend("bob", "hi there"));
    assertThat(CommandParser.parse(":add"))
        .isEqualTo(new Command.Invalid("usage: :add <username> [message]"));
    assertThat(((Command.Invalid) CommandParser.parse(":add b!b hi")).message())
        .contains("not a valid user name");
  }

  @Test
  void acceptAndReject_takeARequestId() {
    assertThat(CommandParser.parse(":accept 12")).isEqualTo(new Command.AcceptRequest(12));
    assertThat(CommandParser.parse(":accept #12")).isEqualTo(new Command.AcceptRequest(12));
    assertThat(CommandParser.parse(":reject 7")).isEqualTo(new Command.RejectRequest(7));
    assertThat(CommandParser.parse(":accept"))
        .isEqualTo(new Command.Invalid("usage: :accept <request id> (see :requests)"));
    assertThat(CommandParser.parse(":reject bob"))
        .isEqualTo(new Command.Invalid("not a request id: 'bob' (see :requests)"));
    assertThat(CommandParser.parse(":accept 0")).isInstanceOf(Command.Invalid.class);
    assertThat(CommandParser.parse(":accept 99999999999999999999"))
        .isInstanceOf(Command.Invalid.class);
  }

  @Test
  void blockAndUnblock_takeExactlyOneUsername() {
    assertThat(CommandParser.parse(":block bob")).isEqualTo(new Command.Block("bob"));
    assertThat(CommandParser.parse(":unblock bob")).isEqualTo(new Command.Unblock("bob"));
    assertThat(CommandParser.parse(":block"))
        .isEqualTo(new Command.Invalid("usage: :block <username>"));
    assertThat(CommandParser.parse(":unblock bob carol"))
        .isEqualTo(new Command.Invalid("usage: :unblock <username>"));
  }
}
