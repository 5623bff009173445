package io.tlsnic.wire.frame;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * Ethernet II header with an optional single IEEE 802.1Q VLAN tag, in network byte order. The header is 14 bytes
 * untagged and 18 bytes tagged; the frame check sequence is not part of the captured frame and not modelled.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                   Destination MAC address                     |  0
 *  +                               +-------------------------------+
 *  |                               |                               |  4
 *  +-------------------------------+                               +
 *  |                      Source MAC address                       |  8
 *  +-------------------------------+-------------------------------+
 *  |   EtherType, or TPID 0x8100   | tagged: PCP |D|   VLAN id     | 12
 *  +-------------------------------+-------------------------------+
 *  |   tagged: EtherType           |                                 16
 *  +-------------------------------+
 * </pre>
 */
public final class EthernetHeaderFlyweight
{
    public static final int DESTINATION_OFFSET = 0;
    public static final int SOURCE_OFFSET = 6;
    public static final int MAC_LENGTH = 6;
    public static final int TYPE_OFFSET = 12;
    /** Tag control information (PCP 3 bits, DEI 1 bit, VLAN id 12 bits) of a tagged frame. */
    public static final int VLAN_TCI_OFFSET = 14;
    public static final int TAGGED_TYPE_OFFSET = 16;
    public static final int HEADER_LENGTH = TYPE_OFFSET + 2;
    public static final int TAGGED_HEADER_LENGTH = TAGGED_TYPE_OFFSET + 2;

    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_IPV6 = 0x86DD;
    public static final int TYPE_VLAN = 0x8100;

    public static final int VLAN_ID_MASK = 0x0FFF;

    private BytesStore<?, ?> store;
    private long offset;
    private long available;

    /**
     * Wraps the header at {@code offset}, with everything up to the store's read limit available.
     *
     * @return this.
     * @throws IndexOutOfBoundsException when fewer than 14 bytes are available.
     */
    public EthernetHeaderFlyweight wrap(final BytesStore<?, ?> store, final long offset)
    {
        return wrap(store, offset, store.readLimit() - offset);
    }

    /**
     * @param length bytes of the frame available from {@code offset}.
     * @return this.
     * @throws IndexOutOfBoundsException when the range is outside the store or shorter than 14 bytes.
     */
    public EthernetHeaderFlyweight wrap(final BytesStore<?, ?> store, final long offset, final long length)
    {
        NetworkOrder.checkRange("Ethernet frame", store, offset, length);
        NetworkOrder.checkFits("Ethernet header", HEADER_LENGTH, length, offset);
        this.store = store;
        this.offset = offset;
        this.available = length;
        return this;
    }

    /** @return absolute index of the header in the store. */
    public long offset()
    {
        return offset;
    }

    /** @return destination MAC address in the low 48 bits. */
    public long destinationMac()
    {
        return NetworkOrder.getMac(store, offset + DESTINATION_OFFSET);
    }

    public EthernetHeaderFlyweight destinationMac(final long mac)
    {
        NetworkOrder.putMac(store, offset + DESTINATION_OFFSET, mac);
        return this;
    }

    /** @return source MAC address in the low 48 bits. */
    public long sourceMac()
    {
        return NetworkOrder.getMac(store, offset + SOURCE_OFFSET);
    }

    public EthernetHeaderFlyweight sourceMac(final long mac)
    {
        NetworkOrder.putMac(store, offset + SOURCE_OFFSET, mac);
        return this;
    }

    /** @return the type field at offset 12: the EtherType, or {@link #TYPE_VLAN} when the frame is tagged. */
    public int outerType()
    {
        return NetworkOrder.getUnsignedShort(store, offset + TYPE_OFFSET);
    }

    public EthernetHeaderFlyweight outerType(final int type)
    {
        NetworkOrder.putShort(store, offset + TYPE_OFFSET, type);
        return this;
    }

    /** @return whether the frame carries an 802.1Q tag. */
    public boolean isVlanTagged()
    {
        return outerType() == TYPE_VLAN;
    }

    /**
     * @return the tag control information (PCP, DEI, VLAN id).
     * @throws IllegalStateException when the frame is not tagged.
     * @throws IndexOutOfBoundsException when the tag does not fit in the available bytes.
     */
    public int vlanTci()
    {
        checkTagged();
        return NetworkOrder.getUnsignedShort(store, offset + VLAN_TCI_OFFSET);
    }

    /** @return the 12-bit VLAN id of a tagged frame. */
    public int vlanId()
    {
        return vlanTci() & VLAN_ID_MASK;
    }

    /** @return the 3-bit priority code point of a tagged frame. */
    public int vlanPriority()
    {
        return vlanTci() >>> 13;
    }

    /**
     * Tags the frame: writes TPID 0x8100 and the TCI. Write {@link #etherType(int)} afterwards, as its place
     * depends on the tag.
     *
     * @param tci tag control information (PCP, DEI, VLAN id).
     * @return this.
     */
    public EthernetHeaderFlyweight vlanTag(final int tci)
    {
        NetworkOrder.checkFits("Ethernet 802.1Q tagged header", TAGGED_HEADER_LENGTH, available, offset);
        outerType(TYPE_VLAN);
        NetworkOrder.putShort(store, offset + VLAN_TCI_OFFSET, tci);
        return this;
    }

    /** @return the EtherType of the payload, after the tag when there is one. */
    public int etherType()
    {
        final int outerType = outerType();
        if (outerType != TYPE_VLAN)
        {
            return outerType;
        }
        checkTagged();
        return NetworkOrder.getUnsignedShort(store, offset + TAGGED_TYPE_OFFSET);
    }

    /** Writes the EtherType of the payload, after the tag when the frame is already tagged. */
    public EthernetHeaderFlyweight etherType(final int type)
    {
        if (isVlanTagged())
        {
            checkTagged();
            NetworkOrder.putShort(store, offset + TAGGED_TYPE_OFFSET, type);
        }
        else
        {
            outerType(type);
        }
        return this;
    }

    /** @return 14, or 18 when tagged. */
    public int headerLength()
    {
        if (isVlanTagged())
        {
            checkTagged();
            return TAGGED_HEADER_LENGTH;
        }
        return HEADER_LENGTH;
    }

    private void checkTagged()
    {
        if (!isVlanTagged())
        {
            throw new IllegalStateException(
                "Ethernet frame at offset " + offset + " has no 802.1Q tag (type 0x" +
                Integer.toHexString(outerType()) + ")");
        }
        NetworkOrder.checkFits("Ethernet 802.1Q tagged header", TAGGED_HEADER_LENGTH, available, offset);
    }
}
