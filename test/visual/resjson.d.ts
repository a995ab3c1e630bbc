declare module "*.resjson" {
    const strings: Readonly<Record<string, string>>;
    export default strings;
}
