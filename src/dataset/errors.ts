/** An error the user can act on: its message says what was wrong, where, and what to do next. */
export class UserError extends Error {
    constructor(message: string, readonly exitCode = 2) {
        super(message);
        this.name = "UserError";
    }
}
