package dev.switchboard.offlinestore.sync;

/**
 * Where one conversation stands for one device.
 *
 * @param allocatedSeq transfer's highest allocated seq (0 if its table is not readable here)
 * @param storedSeq the highest seq stored here
 * @param deliveredSeq the device's delivery cursor
 */
public record ConversationHead(
    String conversationId, long allocatedSeq, long storedSeq, long deliveredSeq) {}
