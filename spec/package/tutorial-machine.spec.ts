// The tutorial's "look at the machine" quotes are real: every block a chapter quotes that shows
// the machine after a move ("after move N …") is, line for line, in the checked output of that
// chapter's example (examples/tutorial/NN-….out), so the text cannot drift from the program.

import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "..", "..");
const docs = join(root, "docs", "tutorial");
const examples = join(root, "examples", "tutorial");

/** The fenced blocks of a markdown file that show a move's machine. */
function machineBlocks(md: string): string[][] {
  const blocks: string[][] = [];
  let open: string[] | undefined;
  for (const line of md.split("\n")) {
    if (line.startsWith("```")) {
      if (open === undefined) open = [];
      else {
        blocks.push(open);
        open = undefined;
      }
    } else if (open !== undefined && line.trim() !== "") open.push(line);
  }
  return blocks.filter((b) => b.some((l) => l.trim().startsWith("after move ")));
}

describe("tutorial: the machine as each chapter quotes it", () => {
  const chapters = readdirSync(docs).filter((f) => /^\d\d-.*\.md$/.test(f));
  it("has a quoted machine in every chapter", () => {
    expect(chapters).to.have.length(9);
    for (const c of chapters) expect(machineBlocks(readFileSync(join(docs, c), "utf8")), c).to.not.be.empty;
  });
  for (const chapter of chapters) {
    it(`${chapter}: every quoted move is in the example's checked output`, () => {
      const nn = chapter.slice(0, 2);
      const outs = readdirSync(examples).filter((f) => f.startsWith(nn) && f.endsWith(".out"));
      expect(outs, `an example for ${chapter}`).to.have.length(1);
      const out = readFileSync(join(examples, outs[0] as string), "utf8").split("\n").map((l) => l.trim());
      for (const block of machineBlocks(readFileSync(join(docs, chapter), "utf8"))) {
        const lines = block.map((l) => l.trim());
        const at = out.indexOf(lines[0] as string);
        expect(at, `"${lines[0]}" in ${outs[0]}`).to.be.at.least(0);
        expect(out.slice(at, at + lines.length)).to.deep.equal(lines);
      }
    });
  }
});
