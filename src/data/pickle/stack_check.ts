// A model of the unpickler's stack that tracks only what kind of thing each slot holds. It mirrors
// pickleparser's own stack and mark handling, so a stream that passes runs through pickleparser
// exactly as modelled: REDUCE only calls globals with short argument tuples, BUILD only targets
// objects made by REDUCE (whose handlers all define __setstate__), and APPEND, SETITEM and ADDITEMS
// only reach lists, dicts and sets. That rules out pickleparser's fallbacks (Object.assign in BUILD,
// a `.set` or `.push` method found on whatever is on the stack), whose cost grows with the size
// of a container the file can reuse from the memo any number of times.

type Kind = 'scalar' | 'string' | 'bytes' | 'tuple' | 'list' | 'dict' | 'set' | 'global' | 'object';

interface Slot {
  kind: Kind;
  /** Item count, tracked for tuples only. */
  size: number;
}

/** The most arguments any allowed global takes (`_frombuffer` takes four). */
const MAX_CALL_ARGUMENTS = 8;

const PUSHES = new Map<number, Kind>([
  [0x4e, 'scalar'], // NONE
  [0x88, 'scalar'], // NEWTRUE
  [0x89, 'scalar'], // NEWFALSE
  [0x4a, 'scalar'], // BININT
  [0x4b, 'scalar'], // BININT1
  [0x4d, 'scalar'], // BININT2
  [0x8a, 'scalar'], // LONG1
  [0x47, 'scalar'], // BINFLOAT
  [0x58, 'string'], // BINUNICODE
  [0x8c, 'string'], // SHORT_BINUNICODE
  [0x8d, 'string'], // BINUNICODE8
  [0x54, 'string'], // BINSTRING
  [0x55, 'string'], // SHORT_BINSTRING
  [0x42, 'bytes'], // BINBYTES
  [0x43, 'bytes'], // SHORT_BINBYTES
  [0x8e, 'bytes'], // BINBYTES8
  [0x96, 'bytes'], // BYTEARRAY8
  [0x5d, 'list'], // EMPTY_LIST
  [0x7d, 'dict'], // EMPTY_DICT
  [0x8f, 'set'], // EMPTY_SET
  [0x63, 'global'], // GLOBAL
]);

/** Follows the stack effect of each opcode; `fail` receives why the stream cannot be a real pickle. */
export class StackCheck {
  private stack: Slot[] = [];
  private readonly marks: Slot[][] = [];
  private readonly memo = new Map<number, Slot>();

  constructor(private readonly fail: (why: string) => never) {}

  /** Applies one opcode; `argument` is the memo index for BINGET, LONG_BINGET, BINPUT and LONG_BINPUT. */
  apply(opcode: number, argument: number): void {
    const pushed = PUSHES.get(opcode);
    if (pushed !== undefined) {
      this.push(pushed);
      return;
    }
    switch (opcode) {
      case 0x80: // PROTO
      case 0x95: // FRAME
        return;
      case 0x28: // MARK
        this.marks.push(this.stack);
        this.stack = [];
        return;
      case 0x31: // POP_MARK
        this.popMark();
        return;
      case 0x30: // POP
      case 0x2e: // STOP
        this.pop();
        return;
      case 0x32: // DUP
        this.stack.push(this.top());
        return;
      case 0x29: // EMPTY_TUPLE
        this.push('tuple', 0);
        return;
      case 0x85: // TUPLE1
      case 0x86: // TUPLE2
      case 0x87: // TUPLE3
        for (let i = 0x84; i < opcode; i++) this.pop();
        this.push('tuple', opcode - 0x84);
        return;
      case 0x74: // TUPLE
        this.push('tuple', this.popMark().length);
        return;
      case 0x91: // FROZENSET
        this.popMark();
        this.push('set');
        return;
      case 0x61: // APPEND
        this.pop();
        this.expectTop('list', 'APPEND');
        return;
      case 0x65: // APPENDS
        this.popMark();
        this.expectTop('list', 'APPENDS');
        return;
      case 0x73: // SETITEM
        this.pop();
        this.pop();
        this.expectTop('dict', 'SETITEM');
        return;
      case 0x75: // SETITEMS
        if (this.popMark().length % 2 !== 0) this.fail('SETITEMS has a key without a value');
        this.expectTop('dict', 'SETITEMS');
        return;
      case 0x90: // ADDITEMS
        this.popMark();
        this.expectTop('set', 'ADDITEMS');
        return;
      case 0x93: // STACK_GLOBAL
        this.expectPop('string', 'STACK_GLOBAL');
        this.expectPop('string', 'STACK_GLOBAL');
        this.push('global');
        return;
      case 0x52: // REDUCE
      case 0x81: // NEWOBJ
        this.popArguments(opcode === 0x52 ? 'REDUCE' : 'NEWOBJ');
        this.expectPop('global', opcode === 0x52 ? 'REDUCE' : 'NEWOBJ');
        this.push('object');
        return;
      case 0x92: // NEWOBJ_EX
        this.expectPop('dict', 'NEWOBJ_EX');
        this.popArguments('NEWOBJ_EX');
        this.expectPop('global', 'NEWOBJ_EX');
        this.push('object');
        return;
      case 0x62: // BUILD
        this.pop();
        this.expectTop('object', 'BUILD');
        return;
      case 0x98: // READONLY_BUFFER
        this.expectTop('bytes', 'READONLY_BUFFER');
        return;
      case 0x71: // BINPUT
      case 0x72: // LONG_BINPUT
        this.memo.set(argument, this.top());
        return;
      case 0x94: // MEMOIZE: numbered by the memo's size, as in Python and pickleparser
        this.memo.set(this.memo.size, this.top());
        return;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const slot = this.memo.get(argument);
        if (slot === undefined) this.fail(`it refers to memo entry ${argument}, which was never stored`);
        this.stack.push(slot);
        return;
      }
      default:
        this.fail('it contains an unknown opcode');
    }
  }

  private push(kind: Kind, size = 0): void {
    this.stack.push({ kind, size });
  }

  private top(): Slot {
    const slot = this.stack[this.stack.length - 1];
    return slot ?? this.fail('an opcode needs more items than the stack holds');
  }

  private pop(): Slot {
    return this.stack.pop() ?? this.fail('an opcode needs more items than the stack holds');
  }

  private popMark(): Slot[] {
    const items = this.stack;
    this.stack = this.marks.pop() ?? this.fail('an opcode closes a MARK that was never opened');
    return items;
  }

  private expectTop(kind: Kind, name: string): void {
    if (this.top().kind !== kind) this.fail(`${name} is applied to something other than ${article(kind)}`);
  }

  private expectPop(kind: Kind, name: string): void {
    if (this.pop().kind !== kind) this.fail(`${name} finds something other than ${article(kind)} on the stack`);
  }

  private popArguments(name: string): void {
    const args = this.pop();
    if (args.kind !== 'tuple' || args.size > MAX_CALL_ARGUMENTS) this.fail(`${name} is not given a short argument tuple`);
  }
}

function article(kind: Kind): string {
  return kind === 'object' ? 'an object' : `a ${kind}`;
}
