package dev.statehouse.kanban;

import dev.statehouse.storage.GroupCommit;
import dev.statehouse.support.ServerTestSupport;
import org.springframework.beans.factory.annotation.Autowired;

class KanbanWalTest extends ServerTestSupport implements KanbanContract, ClaimConcurrencyContract, DispatcherTicksContract {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    GroupCommit groupCommit;

    @Override
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    @Override
    public GroupCommit groupCommit() {
        return groupCommit;
    }
}
