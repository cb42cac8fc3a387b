package org.spindle.solidfire.simulator;

import java.util.List;
import java.util.Map;

/** Read-only snapshots of the simulator's state, for assertions in tests. */
public final class Views {
    private Views() {
    }

    /** A volume; {@code status} is "active" or "deleted"; purged volumes are gone. */
    public record Volume(long volumeID, String name, long accountID, String status, long totalSize,
                         long minIOPS, long maxIOPS, long burstIOPS, boolean enable512e, String access,
                         String iqn, Map<String, Object> attributes, List<Long> volumeAccessGroups,
                         String createTime, String deleteTime, String purgeTime) {
    }

    /** An account, with its CHAP secrets. */
    public record Account(long accountID, String username, String initiatorSecret, String targetSecret,
                          Map<String, Object> attributes, List<Long> volumes) {
        @Override
        public String toString() {
            return "Account[accountID=" + accountID + ", username=" + username + ", volumes=" + volumes + "]";
        }
    }

    /** A volume access group. */
    public record AccessGroup(long volumeAccessGroupID, String name, List<String> initiators, List<Long> volumes,
                              List<Long> deletedVolumes, Map<String, Object> attributes) {
    }
}
