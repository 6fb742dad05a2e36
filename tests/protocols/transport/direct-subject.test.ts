import { DirectSubject } from '../../../protocols/transport/direct-subject';

describe('DirectSubject', () => {
  it('delivers to one subscriber directly and to several like a Subject, and nothing after completion', () => {
    const s = new DirectSubject<number>();
    const a: number[] = [];
    const b: number[] = [];
    s.next(0); // no subscriber: dropped, as by a Subject
    const subA = s.subscribe((v) => a.push(v));
    s.next(1);
    const subB = s.subscribe((v) => b.push(v));
    s.next(2);
    subA.unsubscribe();
    s.next(3);
    subB.unsubscribe();
    s.next(4);
    expect(a).toEqual([1, 2]);
    expect(b).toEqual([2, 3]);
    const c: number[] = [];
    let completed = false;
    s.subscribe({ next: (v) => c.push(v), complete: () => (completed = true) });
    s.next(5);
    s.complete();
    s.next(6);
    expect(c).toEqual([5]);
    expect(completed).toBe(true);
  });

});
