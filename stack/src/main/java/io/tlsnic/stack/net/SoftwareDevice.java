package io.tlsnic.stack.net;

import io.tlsnic.stack.dev.DeviceFeatures;
import io.tlsnic.stack.dev.NetDevice;
import io.tlsnic.stack.dev.RxHandler;
import io.tlsnic.stack.dev.TlsDeviceOps;
import io.tlsnic.stack.dev.TxPacket;
import io.tlsnic.wire.link.Link;
import io.tlsnic.wire.link.LinkPort;

/**
 * A device with no offload at all: frames go to a {@link Link} as they are and come back with no mark.
 * It is both the software loopback device of two joined stacks and "a device that offers no offload".
 */
public final class SoftwareDevice implements NetDevice, LinkPort
{
    private final String name;
    private final DeviceFeatures features = DeviceFeatures.plain();
    private Link wire;
    private RxHandler rxHandler = (f, o, l, m) -> { };

    /** @param name device name. */
    public SoftwareDevice(final String name)
    {
        this.name = name;
    }

    @Override
    public void attach(final Link link)
    {
        this.wire = link;
    }

    @Override
    public void receiveFrame(final byte[] frame, final int length)
    {
        rxHandler.onReceive(frame, 0, length, RxHandler.MARK_NONE);
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public DeviceFeatures features()
    {
        return features;
    }

    @Override
    public boolean transmit(final TxPacket packet)
    {
        if (packet.tsoMss() != 0)
        {
            throw new IllegalArgumentException(name + " does not do TSO, got a frame with MSS " + packet.tsoMss());
        }
        if (packet.tls() != null)
        {
            throw new IllegalArgumentException(name + " has no TLS offload, got a frame for a TLS context");
        }
        if (packet.checksumPartial())
        {
            throw new IllegalArgumentException(name + " has no checksum offload, got a frame without its TCP checksum");
        }
        if (wire == null)
        {
            return true; // not cabled: frames are lost, as on a real unplugged port
        }
        wire.carry(this, packet.frame(), packet.length());
        return true;
    }

    @Override
    public void setRxHandler(final RxHandler handler)
    {
        this.rxHandler = handler;
    }

    @Override
    public void setTxSpaceListener(final Runnable listener)
    {
        // The software device never refuses a frame.
    }

    @Override
    public TlsDeviceOps tlsOps()
    {
        return null;
    }
}
