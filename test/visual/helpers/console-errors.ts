/**
 * Fails each spec of the enclosing suite that makes the visual (or anything else) call console.error: the host shows
 * nothing of it, so a spec is the only place it is seen. Call it inside a describe.
 */
export function failOnConsoleErrors(): void {
    let consoleError: jasmine.Spy;
    beforeEach(() => {
        consoleError = spyOn(console, "error").and.callThrough();
    });
    afterEach(() => {
        expect(consoleError).not.toHaveBeenCalled();
    });
}
