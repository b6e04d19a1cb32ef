package dev.statehouse.kanban;

import java.util.List;

import dev.statehouse.domain.DomainException;
import dev.statehouse.domain.ErrorKind;
import dev.statehouse.storage.Cursor;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Boards: create, read, list, archive; and the checks other use cases make on a board. */
@Service
public class BoardService {

    private final BoardRepository boards;
    private final TaskJournal journal;

    public BoardService(BoardRepository boards, TaskJournal journal) {
        this.boards = boards;
        this.journal = journal;
    }

    @Transactional
    public Board createBoard(String slug, String name, String description) {
        if (!boards.insertBoard(slug, name, description, journal.now())) {
            throw DomainException.conflict(ErrorKind.ALREADY_EXISTS, "board '" + slug + "' already exists");
        }
        return boards.findBoard(slug).orElseThrow();
    }

    public Board board(String slug) {
        return boards.findBoard(slug).orElseThrow(() -> DomainException.notFound("board", slug));
    }

    /** Up to {@code limit} boards after {@code after}, oldest first. */
    public List<Board> boards(boolean includeArchived, Cursor after, int limit) {
        return boards.listBoards(includeArchived, after, limit);
    }

    /** 404 unless the board exists (archived or not); cheaper than {@link #board}, which counts its tasks. */
    public void requireBoard(String slug) {
        boards.boardArchived(slug).orElseThrow(() -> DomainException.notFound("board", slug));
    }

    @Transactional
    public Board archiveBoard(String slug) {
        if (!boards.archiveBoard(slug)) {
            throw DomainException.notFound("board", slug);
        }
        return boards.findBoard(slug).orElseThrow();
    }

    /** 404 for a missing board, 409 for an archived one: new work may not go there. */
    void requireOpen(String slug) {
        boolean archived = boards.boardArchived(slug).orElseThrow(() -> DomainException.notFound("board", slug));
        if (archived) {
            throw DomainException.conflict(ErrorKind.BOARD_ARCHIVED, "board '" + slug + "' is archived");
        }
    }
}
