export async function main(argv: string[]): Promise<number> {
  console.log('nianbao', argv.slice(2).join(' '));
  return 0;
}
