// A file the export could not write (a full disk, a read-only or vanished folder, no permission): turned into a
// message that names the file and says what to do, instead of an "unexpected error" with a stack trace.

/** Writing `file` (described as `what`, e.g. "the manifest") failed with `cause`. */
export class WriteFailure extends Error {
    constructor(readonly what: string, readonly file: string, readonly code: string, readonly cause: unknown) {
        super(`could not write ${what} ${file} (${code})`);
        this.name = "WriteFailure";
    }
}

/** Error codes of the file system, and the words DuckDB uses for the same failures in its own messages. */
const FS_CODES = new Set(["ENOSPC", "EDQUOT", "EFBIG", "EROFS", "EACCES", "EPERM", "EIO", "ENOENT", "ENOTDIR", "EISDIR", "EMFILE", "ENFILE", "EBUSY", "EXDEV"]);
const DUCKDB_WORDS: readonly (readonly [RegExp, string])[] = [
    [/no space left on device/i, "ENOSPC"],
    [/disk quota exceeded/i, "EDQUOT"],
    [/file too large/i, "EFBIG"],
    [/read-only file system/i, "EROFS"],
    [/permission denied/i, "EACCES"],
    [/input\/output error/i, "EIO"],
];

/** The file system error code behind `error`, when it is a failure to write a file. */
export function writeErrorCode(error: unknown): string | undefined {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (typeof code === "string" && FS_CODES.has(code)) return code;
    const message = error instanceof Error ? error.message : "";
    if (/IO Error|Could not write|Could not open|Could not move|Could not rename/i.test(message)) {
        return DUCKDB_WORDS.find(([pattern]) => pattern.test(message))?.[1] ?? "EIO";
    }
    return undefined;
}

/** Runs `action`, which writes `file`; a file system failure becomes a WriteFailure naming the file. */
export async function writing<T>(what: string, file: string, action: () => Promise<T>): Promise<T> {
    try {
        return await action();
    } catch (error) {
        const code = writeErrorCode(error);
        if (code === undefined) throw error;
        throw new WriteFailure(what, file, code, error);
    }
}

/** What the code means and what to do about it, in a few words. */
export function writeAdvice(code: string, folder: string): string {
    switch (code) {
        case "ENOSPC":
        case "EFBIG":
            return `the disk is full: free space on the drive that holds ${folder} (or export into another --out folder)`;
        case "EDQUOT":
            return `your disk quota is used up: free space in it, or export into another --out folder`;
        case "EROFS":
            return `the folder is on a read-only file system: export into another --out folder`;
        case "EACCES":
        case "EPERM":
        case "EBUSY":
            return `the file or folder cannot be written (no permission, or another program holds it open): check ${folder} and close programs that read the export`;
        case "ENOENT":
        case "ENOTDIR":
            return `the folder disappeared while the export ran (deleted, or a removable or network drive went away): check ${folder}`;
        case "EMFILE":
        case "ENFILE":
            return "too many files are open on this machine: close some programs";
        default:
            return `the disk reported an error: check the drive that holds ${folder}`;
    }
}
