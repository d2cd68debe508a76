package dev.switchboard.client.net;

import dev.switchboard.proto.Frame;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Last stage of the pipeline: hands decoded frames and the connection's life events to {@link
 * Events}. Holds no state of its own; every callback runs on the channel's event loop.
 */
public final class FrameHandler extends SimpleChannelInboundHandler<Frame> {

  /** What a connection needs to hear from its channel; all calls on the event loop. */
  public interface Events {
    void onActive();

    void onFrame(Frame frame);

    /** Nothing was read for the reader-idle time of the pipeline's {@code IdleStateHandler}. */
    void onReadIdle();

    /** The channel failed; the handler closes it right after. */
    void onFailure(Throwable cause);

    /** The channel is closed (always the last call). */
    void onInactive();
  }

  private final Events events;

  public FrameHandler(Events events) {
    this.events = events;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    events.onActive();
    super.channelActive(ctx);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
    events.onFrame(frame);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
      events.onReadIdle();
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    events.onFailure(cause);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    events.onInactive();
    super.channelInactive(ctx);
  }
}
