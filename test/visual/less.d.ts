declare module "*.less" {
    /** The file's Less source (the karma webpack config loads it as text). */
    const source: string;
    export default source;
}

declare module "less" {
    /** The part of Less's browser build the specs use. */
    const less: { render(source: string): Promise<{ readonly css: string }> };
    export default less;
}
