package io.jvmpool.pool;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.ServerTransportFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs, once per connection, a peer that connected to the coordinator's port and never spoke gRPC. */
final class StrangerFilter extends ServerTransportFilter {
    private static final Logger LOG = LoggerFactory.getLogger(StrangerFilter.class);
    private static final Attributes.Key<Boolean> SPOKE_GRPC = Attributes.Key.create("jvmpool.spoke-grpc");

    @Override
    public Attributes transportReady(Attributes attributes) {
        return attributes.toBuilder().set(SPOKE_GRPC, true).build();
    }

    @Override
    public void transportTerminated(Attributes attributes) {
        if (attributes == null || attributes.get(SPOKE_GRPC) == null) {
            Object peer = attributes == null ? null : attributes.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
            LOG.warn("a connection{} closed without speaking gRPC: ignored", peer == null ? "" : " from " + peer);
        }
    }
}
