package dev.statehouse.kanban;

import dev.statehouse.support.ServerTestSupport;
import org.springframework.beans.factory.annotation.Autowired;

class KanbanWalTest extends ServerTestSupport implements KanbanContract, ClaimConcurrencyContract, DispatcherTicksContract {

    @Autowired
    Dispatcher dispatcher;

    @Override
    public Dispatcher dispatcher() {
        return dispatcher;
    }
}
