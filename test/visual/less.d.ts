/** The visual's LESS stylesheet, compiled to CSS by the karma suite's webpack. */
declare module "*.less" {
    const css: string;
    export default css;
}
