package dev.statehouse.kanban;

import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.http.HttpStatus;
import dev.statehouse.web.CanFail;
import dev.statehouse.domain.ErrorKind;
import dev.statehouse.storage.Cursor;
import dev.statehouse.web.Page;
import dev.statehouse.web.Responses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "boards", description = "Kanban boards")
@RestController
@RequestMapping("/api/boards")
public class BoardController {

    private final BoardService boards;

    public BoardController(BoardService boards) {
        this.boards = boards;
    }

    @Operation(summary = "Boards, oldest first (archived ones with include_archived)")
    @GetMapping
    public ResponseEntity<Page<Board>> boards(@RequestParam(name = "include_archived", defaultValue = "false") boolean includeArchived,
                                              @RequestParam(defaultValue = "100") @Min(1) @Max(500) int limit,
                                              @RequestParam(required = false) String cursor) {
        Page<Board> page = Page.of(boards.boards(includeArchived, Cursor.decode(cursor), limit + 1), limit,
                last -> new Cursor(last.sortKey(), last.slug()).encode());
        return Responses.page(page);
    }

    @Operation(operationId = "createBoard", summary = "Create a board")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @CanFail({ErrorKind.ALREADY_EXISTS})
    public ResponseEntity<Board> create(@Valid @RequestBody KanbanRequests.CreateBoard body) {
        Board board = boards.createBoard(body.slug(), body.name(), body.description());
        return Responses.created("/api/boards/" + board.slug(), board);
    }

    @Operation(summary = "One board with its task counts by status")
    @GetMapping("/{slug}")
    @CanFail({ErrorKind.NOT_FOUND})
    public Board board(@PathVariable @Pattern(regexp = KanbanRequests.SLUG) String slug) {
        return boards.board(slug);
    }

    @Operation(summary = "Archive a board: no new tasks or claims")
    @PostMapping("/{slug}/archive")
    @CanFail({ErrorKind.NOT_FOUND})
    public Board archive(@PathVariable @Pattern(regexp = KanbanRequests.SLUG) String slug) {
        return boards.archiveBoard(slug);
    }
}
