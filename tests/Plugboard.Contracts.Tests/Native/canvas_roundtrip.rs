// Built by RustBindingTests against the module bindgen emits for tests/Contracts/ShapesApi: a Rust implementation of
// shapes.canvas/1 and shapes.pen/1 behind their generated tables, called through the generated safe clients, and the
// tables' argument checks called with bad input through the raw C ABI. Prints one line per check.
#![deny(warnings)]

mod shapes_api;

use plugboard::Error;
use shapes_api::*;
use std::ffi::c_void;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI32, Ordering};

struct Pen {
    strokes: AtomicI32,
}

impl shapes_api::Pen for Pen {
    fn move_to(&self, _x: f64, _y: f64) -> Result<(), Error> {
        self.strokes.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    fn get_strokes(&self) -> Result<i32, Error> {
        Ok(self.strokes.load(Ordering::SeqCst))
    }
}

struct Canvas {
    title: Mutex<String>,
    visible: Mutex<bool>,
    scale: Mutex<f32>,
}

impl shapes_api::Canvas for Canvas {
    fn describe(&self) -> Result<String, Error> {
        Ok(format!("canvas '{}' ü", self.title.lock().unwrap()))
    }

    fn set_title(&self, title: &str) -> Result<(), Error> {
        if title.is_empty() {
            return Err(Error::with_status(plugboard::PB_ERR_INVALID_ARGUMENT, "empty title"));
        }
        *self.title.lock().unwrap() = title.to_string();
        Ok(())
    }

    fn sum(&self, points: &[Point]) -> Result<f64, Error> {
        Ok(points.iter().map(|p| p.x + p.y).sum())
    }

    fn fill(&self, values: &mut [i32]) -> Result<(), Error> {
        for (i, v) in values.iter_mut().enumerate() {
            *v = i as i32 + 1;
        }
        Ok(())
    }

    fn count_positive(&self, values: &[i64]) -> Result<i32, Error> {
        Ok(values.iter().filter(|v| **v > 0).count() as i32)
    }

    fn center(&self, rect: &Rect) -> Result<Point, Error> {
        Ok(Point { x: rect.top_left.x + rect.width as f64, y: rect.top_left.y + rect.id as f64, ..Point::default() })
    }

    fn is_empty(&self) -> Result<bool, Error> {
        Ok(!*self.visible.lock().unwrap())
    }

    fn set_visible(&self, visible: bool) -> Result<(), Error> {
        *self.visible.lock().unwrap() = visible;
        Ok(())
    }

    fn get_mood(&self) -> Result<Mood, Error> {
        Ok(Mood::BUSY)
    }

    fn snapshot(&self) -> Result<Vec<u8>, Error> {
        Ok(vec![1, 2, 3, 255])
    }

    fn checksum(&self, data: &[u8]) -> Result<u64, Error> {
        Ok(data.iter().map(|b| *b as u64).sum())
    }

    fn draw(&self, pen: PenRef<'_>, to: &Point) -> Result<(), Error> {
        pen.move_to(to.x, to.y)?;
        pen.move_to(0.0, 0.0)
    }

    fn get_scale(&self) -> Result<f32, Error> {
        Ok(*self.scale.lock().unwrap())
    }

    fn set_scale(&self, value: f32) -> Result<(), Error> {
        if value > 100.0 {
            panic!("scale too large");
        }
        *self.scale.lock().unwrap() = value;
        Ok(())
    }
}

fn main() {
    let canvas = Canvas { title: Mutex::new(String::new()), visible: Mutex::new(false), scale: Mutex::new(1.0) };
    let pen = Pen { strokes: AtomicI32::new(0) };
    let canvas_table = shapes_canvas_v1_table::<Canvas>();
    let pen_table = shapes_pen_v1_table::<Pen>();
    let client = unsafe { CanvasRef::from_raw(canvas_table as *const ShapesCanvasV1 as *const c_void, context_of(&canvas)) }.expect("canvas table");
    let pen_client = unsafe { PenRef::from_raw(pen_table as *const ShapesPenV1 as *const c_void, context_of(&pen)) }.expect("pen table");

    client.set_title("Sketch").unwrap();
    println!("describe: {}", client.describe().unwrap());
    let points = [Point { x: 1.5, y: 2.0, ..Point::default() }, Point { x: 3.0, y: 4.5, ..Point::default() }];
    println!("sum: {}", client.sum(&points).unwrap());
    let mut values = [0i32; 4];
    client.fill(&mut values).unwrap();
    println!("fill: {:?}", values);
    println!("count_positive: {}", client.count_positive(&[5, -1, 0, 7]).unwrap());
    let rect = Rect { top_left: Point { x: 10.0, y: 20.0, ..Point::default() }, width: 5, id: 3, filled: 1, mood: Mood::CALM, level: Level::HIGH, ..Rect::default() };
    let center = client.center(&rect).unwrap();
    println!("center: {} {} size {}", center.x, center.y, center.struct_size);
    println!("is_empty: {}", client.is_empty().unwrap());
    client.set_visible(true).unwrap();
    println!("is_empty after set_visible: {}", client.is_empty().unwrap());
    println!("mood: {}", client.get_mood().unwrap().0);
    println!("snapshot: {:?}", client.snapshot().unwrap());
    println!("checksum: {}", client.checksum(&[200, 100, 1]).unwrap());
    client.draw(pen_client, &points[0]).unwrap();
    println!("strokes: {}", pen_client.get_strokes().unwrap());
    client.set_scale(2.5).unwrap();
    println!("scale: {}", client.get_scale().unwrap());
    let error = client.set_title("").unwrap_err();
    println!("error status: {}", error.status);
    println!("panic status: {}", client.set_scale(1000.0).unwrap_err().status);

    // Bad input through the raw ABI: typed statuses, never a crash.
    let ctx = context_of(&canvas);
    let set_title = canvas_table.set_title.unwrap();
    let invalid = [0xffu8, 0xfe];
    println!("invalid utf8: {}", unsafe { set_title(ctx, invalid.as_ptr(), invalid.len()) });
    println!("null with length: {}", unsafe { set_title(ctx, std::ptr::null(), 3) });
    println!("null context: {}", unsafe { set_title(std::ptr::null_mut(), invalid.as_ptr(), 0) });
    let center_fn = canvas_table.center.unwrap();
    let mut out = Point::default();
    let mut wrong = rect;
    wrong.struct_size = 2;
    println!("struct too small: {}", unsafe { center_fn(ctx, &wrong, &mut out) });
    let mut odd = points;
    odd[1].struct_size = 16;
    println!("span element of another size: {}", unsafe { (canvas_table.sum.unwrap())(ctx, odd.as_ptr(), odd.len(), &mut 0.0) });
    println!("bool not 0 or 1: {}", unsafe { (canvas_table.set_visible.unwrap())(ctx, 7) });
    println!("null out pointer: {}", unsafe { (canvas_table.get_mood.unwrap())(ctx, std::ptr::null_mut()) });
    // An older sender: a Point of 16 bytes (no y) reads as far as it goes, the rest defaults.
    let mut older = rect;
    older.struct_size = 24;
    println!("older rect: {}", unsafe { center_fn(ctx, &older, &mut out) });
    println!("older rect center: {} {}", out.x, out.y);
    // A table from an older minor: functions past its struct_size are refused by the client, not called.
    let mut truncated = ShapesCanvasV1 { struct_size: 8 + 2 * size_of::<usize>() as u32, ..*canvas_table };
    truncated.sum = None;
    let old = unsafe { CanvasRef::from_raw(&truncated as *const ShapesCanvasV1 as *const c_void, ctx) }.unwrap();
    println!("old table describe: {}", old.describe().is_ok());
    let missing = old.sum(&points).unwrap_err();
    println!("old table sum: {} {}", missing.status, missing.message);
}
