package dev.switchboard.offlinestore.sync;

/**
 * Where one conversation stands for one device.
 *
 * @param allocatedSeq transfer's highest allocated seq (0 if its table is not readable here)
 * @param storedSeq where the run of stored seqs from the device's position ends: everything up to
 *     it is stored (or on the device). A seq stored after a missing one is not counted, so an
 *     allocated seq above this (a tail or a hole still in Kafka) reads as in flight
 * @param deliveredSeq the device's delivery cursor
 */
public record ConversationHead(
    String conversationId, long allocatedSeq, long storedSeq, long deliveredSeq) {}
