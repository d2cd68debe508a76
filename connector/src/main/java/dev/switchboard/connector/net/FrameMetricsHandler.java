package dev.switchboard.connector.net;

import dev.switchboard.connector.ConnectorMetrics;
import dev.switchboard.proto.Frame;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/** Counts decoded frames coming in and frames going out (and the error codes among them). */
@Sharable
public final class FrameMetricsHandler extends ChannelDuplexHandler {
  private final ConnectorMetrics metrics;

  public FrameMetricsHandler(ConnectorMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Frame frame) {
      metrics.frameIn(frame);
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof Frame frame) {
      metrics.frameOut(frame);
    }
    ctx.write(msg, promise);
  }
}
