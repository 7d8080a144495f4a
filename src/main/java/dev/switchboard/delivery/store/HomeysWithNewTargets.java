package dev.switchboard.delivery.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The Homeys this node has recorded new targets for since the last cap check. Only new targets can push a Homey
 * over the per-Homey cap, so the cap job checks these instead of counting every Homey's backlog.
 */
@ApplicationScoped
public class HomeysWithNewTargets {

    private final Set<String> homeyIds = ConcurrentHashMap.newKeySet();

    public void addAll(Collection<String> ids) {
        homeyIds.addAll(ids);
    }

    /** Takes the current set, leaving it empty for the next interval. */
    List<String> drain() {
        List<String> taken = new ArrayList<>(homeyIds.size());
        for (String id : homeyIds) {
            if (homeyIds.remove(id)) {
                taken.add(id);
            }
        }
        return taken;
    }
}
