package dev.switchboard.userstatus.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LuaScriptTest {

  @Test
  void everyRouteScript_isOnTheClasspath_withItsSha1() {
    for (String name : new String[] {"online", "offline", "renew"}) {
      LuaScript script = LuaScript.fromClasspath(name);

      assertThat(script.name()).isEqualTo(name);
      assertThat(script.sha1()).matches("[0-9a-f]{40}");
    }
  }

  @Test
  void missingScript_failsAtConstruction() {
    assertThatThrownBy(() -> LuaScript.fromClasspath("nope"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("lua/nope.lua");
  }
}
